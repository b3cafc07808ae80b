"""Product status (上架/下架/违规下架/解除违规): one state machine per action."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import context_user_id
from core.exceptions import PermissionRefused
from core.state import Machine, announce_on_commit
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from ..exceptions import ProductError, PublishRefused, StatusChangeRefused
from ..models import Product, ProductStatus, ProductStatusEvent
from ..signals import product_status_changed
from .locks import lock_product, lock_products

# action -> {from status: to status}; anything not listed is refused.
TRANSITIONS: dict[str, dict[int, int]] = {
    "publish": {
        ProductStatus.DRAFT: ProductStatus.ON_SALE,
        ProductStatus.OFF_SHELF: ProductStatus.ON_SALE,
    },
    "unpublish": {ProductStatus.ON_SALE: ProductStatus.OFF_SHELF},
    "ban": {
        ProductStatus.DRAFT: ProductStatus.BANNED,
        ProductStatus.ON_SALE: ProductStatus.BANNED,
        ProductStatus.OFF_SHELF: ProductStatus.BANNED,
    },
    # Lifting a ban does not put the product back on sale: the merchant decides.
    "unban": {ProductStatus.BANNED: ProductStatus.OFF_SHELF},
}


def publish_problems(product: Product) -> list[str]:
    """Why `product` cannot go on sale; empty when it can."""
    skus = [s for s in product.skus.all() if s.is_active]
    if not skus:
        return [_("商品还没有规格（SKU）。")]
    priced = [s for s in skus if s.price_fen]
    if not priced:
        return [_("所有规格都还没有设置价格。")]
    if not any(s.stock > 0 for s in priced):
        return [_("有价格的规格库存都为 0，请先设置库存。")]
    return []


ACTION_LABELS = {
    "publish": gettext_lazy("上架"),
    "unpublish": gettext_lazy("下架"),
    "ban": gettext_lazy("违规下架"),
    "unban": gettext_lazy("解除违规"),
}


def _machine(action: str) -> Machine:
    def refuse(product: Product, from_status: int, _to: int) -> StatusChangeRefused:
        return StatusChangeRefused(
            _("“%(title)s”当前为%(status)s，不能%(action)s。")
            % {
                "title": product.title,
                "status": ProductStatus(from_status).label,
                "action": ACTION_LABELS[action],
            }
        )

    return Machine(
        {from_status: frozenset({to}) for from_status, to in TRANSITIONS[action].items()},
        label=lambda status: ProductStatus(status).label,
        refusal=refuse,
        repeatable=False,
    )


# One machine per action: the same two statuses may be joined by one action and not
# another (违规下架 → 已下架 is 解除违规 by staff, never a merchant's 下架).
MACHINES = {action: _machine(action) for action in TRANSITIONS}


def _transition(product: Product, action: str, *, actor_id, reason: str = "") -> Product:
    """Move a locked product along TRANSITIONS, record who/when/from→to, notify on commit."""
    machine = MACHINES[action]
    # A status the action does not leave from is refused (target = where it is).
    to_status = TRANSITIONS[action].get(product.status, product.status)
    machine.check(product, to_status)
    if action == "publish":
        problems = publish_problems(product)
        if problems:
            raise PublishRefused(
                _("“%(title)s”不能上架：%(reasons)s")
                % {"title": product.title, "reasons": " ".join(problems)}
            )

    def record(row: Product, from_status: int, to: int) -> None:
        row.ban_reason = reason if to == ProductStatus.BANNED else ""
        row.save(update_fields=["status", "ban_reason", "updated_at"])
        event = ProductStatusEvent(
            product=row, from_status=from_status, to_status=to, actor_id=actor_id, reason=reason
        )
        event.full_clean(exclude=["product", "actor"])
        event.save()

    changes = machine.move_locked([product], to_status, on_change=record)
    announce_on_commit(
        product_status_changed,
        Product,
        [
            {"product_id": row.pk, "from_status": from_status, "to_status": to}
            for row, from_status, to in changes
        ],
    )
    return product


@transaction.atomic
def product_publish(*, context: ConsoleContext, product_id: int) -> Product:
    context.require_perm(Perm.PRODUCT_EDIT)
    product = lock_product(context, product_id)
    return _transition(product, "publish", actor_id=context_user_id(context))


@transaction.atomic
def product_unpublish(*, context: ConsoleContext, product_id: int) -> Product:
    context.require_perm(Perm.PRODUCT_EDIT)
    product = lock_product(context, product_id)
    return _transition(product, "unpublish", actor_id=context_user_id(context))


@dataclass
class BulkResult:
    done: list[Product] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@transaction.atomic
def product_bulk_set_status(
    *, context: ConsoleContext, product_ids: list[int], action: str
) -> BulkResult:
    """批量上架/下架: each product that can move moves; the others say why not."""
    context.require_perm(Perm.PRODUCT_EDIT)
    if action not in ("publish", "unpublish"):
        raise StatusChangeRefused(_("不支持的批量操作。"))
    result = BulkResult()
    for product in lock_products(context, product_ids):
        try:
            _transition(product, action, actor_id=context_user_id(context))
        except ProductError as exc:
            result.refused.append(str(exc.message))
        else:
            result.done.append(product)
    return result


@transaction.atomic
def product_ban(*, product_id: int, actor, reason: str) -> Product:
    """违规下架 by platform staff (from /admin/); the merchant sees the reason."""
    if not (actor and actor.is_staff):
        raise PermissionRefused(_("只有平台运营可以违规下架商品。"))
    reason = (reason or "").strip()
    if not reason:
        raise StatusChangeRefused(_("请填写违规原因，商家会看到它。"))
    product = Product.objects.select_for_update().get(pk=product_id)
    return _transition(product, "ban", actor_id=actor.pk, reason=reason[:200])


@transaction.atomic
def product_unban(*, product_id: int, actor) -> Product:
    if not (actor and actor.is_staff):
        raise PermissionRefused(_("只有平台运营可以解除违规。"))
    product = Product.objects.select_for_update().get(pk=product_id)
    return _transition(product, "unban", actor_id=actor.pk)
