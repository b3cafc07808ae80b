"""The one door to tenant data.

`resolve_context` works out who the request acts for: one of the user's shops (picked
with the switcher, remembered in the session; API clients may name it in the
X-Shop-Id header) or the user's creator profile. `scope` filters any queryset to that
shop or creator, using the model's SHOP_FIELD or CREATOR_FIELD. Objects outside the
scope simply do not exist for the request: a 404, never a 403.

A request that names a shop the user is not a member of is refused (404), never
answered for another of the user's shops: a write meant for shop A must not land in B.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _

from core.bounds import MAX_ID, parse_int
from core.exceptions import PermissionRefused

from .models import Creator, Membership, Shop
from .roles import Role, role_has_perm

SESSION_KEY = "console_context"
SHOP_HEADER = "HTTP_X_SHOP_ID"


class ContextKind:
    SHOP = "shop"
    CREATOR = "creator"


@dataclass(frozen=True)
class ConsoleContext:
    kind: str | None = None
    membership: Membership | None = None
    creator: Creator | None = None
    memberships: list[Membership] = field(default_factory=list)
    # The request named a shop (or creator profile) the user does not have: the context
    # acts for nobody, and console pages and the API answer 404.
    refused: bool = False

    @property
    def shop(self) -> Shop | None:
        return self.membership.shop if self.kind == ContextKind.SHOP else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.kind == ContextKind.SHOP else None

    def has_perm(self, perm: str) -> bool:
        return self.kind == ContextKind.SHOP and role_has_perm(self.membership.role, perm)

    def require_perm(self, perm: str) -> None:
        if not self.has_perm(perm):
            raise PermissionRefused()

    @property
    def choices(self) -> list[tuple[str, str]]:
        """What the switcher offers: each shop, then the creator profile."""
        options = [(f"{ContextKind.SHOP}:{m.shop_id}", m.shop.name) for m in self.memberships]
        if self.creator is not None:
            options.append(
                (ContextKind.CREATOR, _("达人 · %(name)s") % {"name": self.creator.nickname})
            )
        return options

    @property
    def key(self) -> str | None:
        if self.kind == ContextKind.SHOP:
            return f"{ContextKind.SHOP}:{self.membership.shop_id}"
        return self.kind


def _parse_key(key) -> tuple[str | None, int | None]:
    if not key:
        return None, None
    if key == ContextKind.CREATOR:
        return ContextKind.CREATOR, None
    kind, _, raw_id = str(key).partition(":")
    if kind == ContextKind.SHOP and parse_int(raw_id, maximum=MAX_ID) is not None:
        return ContextKind.SHOP, int(raw_id)
    if parse_int(key, maximum=MAX_ID) is not None:
        return ContextKind.SHOP, int(key)
    return None, None


def resolve_context(user, *, requested: str | None = None) -> ConsoleContext:
    """The shop or creator `user` acts for; `requested` is a switcher key or shop id.

    Without a request: the user's first shop, else the creator profile. A request for
    a shop the user is not a member of (or a creator profile they do not have, or a
    key that is not one) gives a `refused` context that acts for nobody; it reveals
    nothing about other shops, and it never falls back to another of the user's shops.
    """
    if user is None or not user.is_authenticated:
        return ConsoleContext()
    memberships = list(
        Membership.objects.filter(user=user).select_related("shop").order_by("shop_id")
    )
    creator = Creator.objects.filter(user=user).first()
    if requested:
        kind, shop_id = _parse_key(requested)
        if kind == ContextKind.CREATOR and creator is not None:
            return ConsoleContext(ContextKind.CREATOR, None, creator, memberships)
        chosen = next((m for m in memberships if m.shop_id == shop_id), None)
        if kind == ContextKind.SHOP and chosen is not None:
            return ConsoleContext(ContextKind.SHOP, chosen, creator, memberships)
        return ConsoleContext(None, None, None, memberships, refused=True)
    if memberships:
        return ConsoleContext(ContextKind.SHOP, memberships[0], creator, memberships)
    if creator is not None:
        return ConsoleContext(ContextKind.CREATOR, None, creator, memberships)
    return ConsoleContext(None, None, None, memberships)


def staff_context(*, user, shop: Shop | None = None, creator: Creator | None = None):
    """Platform staff in /admin/ acting on one shop's objects (with a 店主's permissions)
    or one creator's, so the admin calls the same services, with the same guards and
    scope, as the console. Built from the object the admin opened, never from a request's
    choice; the membership is not saved."""
    if shop is not None:
        acting = Membership(shop=shop, user=user, role=Role.OWNER)
        return ConsoleContext(ContextKind.SHOP, acting, None, [acting])
    return ConsoleContext(ContextKind.CREATOR, None, creator, [])


def context_for_request(request) -> ConsoleContext:
    """The context of a console or API request: the X-Shop-Id header, else the
    switcher's choice kept in the session, else the default."""
    header = request.META.get(SHOP_HEADER)
    remembered = request.session.get(SESSION_KEY)
    context = resolve_context(request.user, requested=header or remembered)
    if context.refused and not header and remembered:
        # The user has left the remembered shop: this request is refused (it may be a
        # form meant for that shop), the next one starts from the default.
        request.session.pop(SESSION_KEY, None)
    return context


def remember_choice(request, key: str) -> ConsoleContext:
    """Switch to `key` and remember it; a key the user cannot act for is a 404 and
    leaves the session as it was."""
    context = resolve_context(request.user, requested=key or "-")
    if context.refused or context.kind is None:
        raise Http404
    request.session[SESSION_KEY] = context.key
    return context


def scope(queryset, context: ConsoleContext):
    """Filter `queryset` to the context's shop (models with SHOP_FIELD) or creator
    (models with CREATOR_FIELD); anything else sees nothing."""
    model = queryset.model
    shop_field = getattr(model, "SHOP_FIELD", None)
    creator_field = getattr(model, "CREATOR_FIELD", None)
    if shop_field is None and creator_field is None:
        raise TypeError(f"{model.__name__} declares neither SHOP_FIELD nor CREATOR_FIELD")
    if shop_field and context.kind == ContextKind.SHOP:
        return queryset.filter(**{shop_field: context.membership.shop_id})
    if creator_field and context.kind == ContextKind.CREATOR:
        return queryset.filter(**{creator_field: context.creator.pk})
    return queryset.none()


def get_scoped_or_404(queryset, context: ConsoleContext, **lookup):
    try:
        return scope(queryset, context).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
