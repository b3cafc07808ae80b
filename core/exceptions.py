"""Domain errors. Every app's errors derive from DomainError so views and the API
show their message to the user as it is."""

from django.db import connection
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """`code` is the API's name of the error; `default_message` is shown when a raise
    gives none. A subclass declares both in its class line,
    `class OutOfStock(StockError, code="out_of_stock", message=_("库存不足。")):`,
    and inherits what it leaves out."""

    code = "domain_error"
    default_message = _("操作无法完成。")

    def __init_subclass__(cls, *, code: str | None = None, message=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if message is not None:
            cls.default_message = message

    def __init__(self, message=None, *, fields=None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class PermissionRefused(DomainError, code="permission_denied", message=_("你的角色没有这项权限。")):
    """A role without the permission: answered as 403."""


class NotFound(DomainError, code="not_found", message=_("找不到这条记录。")):
    """An object outside the caller's reach: answered as 404, never as 'it exists'."""


class NeedsPostgreSQL(DomainError, code="needs_postgresql"):
    """A feature written in PostgreSQL's own SQL (COPY, set-based upserts) asked for on
    another database: `make run`'s SQLite demo."""


def require_postgresql(feature) -> None:
    """NeedsPostgreSQL naming `feature` unless the database is PostgreSQL."""
    if connection.vendor != "postgresql":
        raise NeedsPostgreSQL(
            _("%(feature)s需要 PostgreSQL 数据库，make run 的 SQLite 演示库不支持："
              "请用 make run-pg 运行演示，或把 DATABASE_URL 指向 PostgreSQL。")
            % {"feature": feature}
        )  # fmt: skip


def clean_or_raise(
    instance, error_class=DomainError, *, exclude=(), label: str = "", unique: bool = False
) -> None:
    """`full_clean`, re-raised as `error_class` naming every field and its problem
    (`label` first, e.g. which parcel).

    Uniqueness and constraints are left to the database (services lock what they
    check), so a clean costs no queries; `unique=True` checks them too, for a message
    naming the field instead of an IntegrityError."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=unique, validate_constraints=unique
        )
    except ValidationError as exc:
        fields = exc.message_dict
        names = {f.name: f.verbose_name for f in instance._meta.fields}
        parts = [
            (f"{names.get(name, name)}：" if name != NON_FIELD_ERRORS else "") + " ".join(msgs)
            for name, msgs in fields.items()
        ]
        raise error_class(label + "；".join(parts), fields=fields) from exc
