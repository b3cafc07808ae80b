"""Stock changes only here: rows are locked in primary-key order, every change leaves a
StockMove, and stock never goes below zero."""

from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import context_user_id
from core.bounds import MAX_STOCK, require_range
from core.models import Said, said_fields
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from ..exceptions import OutOfStock, StockError
from ..models import Sku, StockMove, StockMoveReason
from .locks import lock_sku


def sku_label(sku: Sku) -> str:
    return (
        f"「{sku.product.title} {sku.spec_text}」" if sku.spec_text else f"「{sku.product.title}」"
    )


def _move(sku: Sku, delta: int, *, reason: str, actor_id, note: Said | str) -> StockMove:
    """Apply `delta` to a locked SKU and record it (`note`: a Said of StockMove.MESSAGES,
    or what a person typed)."""
    sku.stock += delta
    sku.save(update_fields=["stock", "updated_at"])
    move = StockMove(
        sku=sku,
        reason=reason,
        delta=delta,
        balance_after=sku.stock,
        actor_id=actor_id,
        **said_fields(note, limit=200),
    )
    move.full_clean(exclude=["sku", "actor"])
    move.save()
    return move


def _lock_lines(lines: list[tuple[int, int]]) -> tuple[list[Sku], dict[int, int]]:
    wanted: Counter = Counter()
    for sku_id, quantity in lines:
        if int(quantity) <= 0:
            raise StockError(_("数量必须大于 0。"))
        wanted[int(sku_id)] += int(quantity)
    skus = list(
        Sku.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(pk__in=wanted)
        .order_by("pk")
    )
    if len(skus) != len(wanted):
        missing = sorted(set(wanted) - {s.pk for s in skus})
        raise StockError(_("SKU %(ids)s 不存在。") % {"ids": ", ".join(map(str, missing))})
    return skus, wanted


@transaction.atomic
def sku_reserve_stock(
    *,
    lines: list[tuple[int, int]],
    reason: str = StockMoveReason.ORDER,
    actor=None,
    note: Said | str = "",
) -> list[Sku]:
    """Take stock for (sku_id, quantity) lines, all or none; rows locked in pk order so
    two orders over the same SKUs cannot deadlock."""
    skus, wanted = _lock_lines(lines)
    short = [s for s in skus if not s.is_active or s.stock < wanted[s.pk]]
    if short:
        sku = short[0]
        if not sku.is_active:
            message = _("%(sku)s已停用，无法购买。") % {"sku": sku_label(sku)}
        elif sku.stock == 0:
            message = _("%(sku)s已售罄。") % {"sku": sku_label(sku)}
        else:
            message = _("%(sku)s库存不足：需要 %(need)s 件，仅剩 %(left)s 件。") % {
                "sku": sku_label(sku),
                "need": wanted[sku.pk],
                "left": sku.stock,
            }
        raise OutOfStock(message)
    actor_id = getattr(actor, "pk", None)
    for sku in skus:
        _move(sku, -wanted[sku.pk], reason=reason, actor_id=actor_id, note=note)
    return skus


@transaction.atomic
def sku_release_stock(
    *, lines: list[tuple[int, int]], reason: str, actor=None, note: Said | str = ""
) -> list[Sku]:
    """Put stock back (cancelled or refunded order lines)."""
    if reason not in (StockMoveReason.CANCEL, StockMoveReason.REFUND):
        raise StockError(_("归还库存的原因只能是取消或退款。"))
    skus, wanted = _lock_lines(lines)
    actor_id = getattr(actor, "pk", None)
    for sku in skus:
        _move(sku, wanted[sku.pk], reason=reason, actor_id=actor_id, note=note)
    return skus


@transaction.atomic
def sku_adjust_stock(*, context: ConsoleContext, sku_id: int, delta: int, note: str) -> Sku:
    """手动调整: +/- delta with a reason, never below zero."""
    context.require_perm(Perm.STOCK_ADJUST)
    sku = lock_sku(context, sku_id)
    note = (note or "").strip()
    if delta == 0:
        raise StockError(_("调整数量不能为 0。"), fields={"delta": [_("调整数量不能为 0。")]})
    require_range(
        delta,
        field="delta",
        label=_("调整数量"),
        minimum=-MAX_STOCK,
        maximum=MAX_STOCK,
        error_class=StockError,
    )
    if not note:
        raise StockError(_("请填写调整原因。"), fields={"note": [_("请填写调整原因。")]})
    if sku.stock + delta < 0:
        message = _("%(sku)s调整后库存不能小于 0（当前 %(stock)s，调整 %(delta)s）。") % {
            "sku": sku_label(sku),
            "stock": sku.stock,
            "delta": delta,
        }
        raise StockError(message, fields={"delta": [message]})
    if sku.stock + delta > MAX_STOCK:
        message = _("%(sku)s调整后库存不能超过 %(max)s（当前 %(stock)s，调整 %(delta)s）。") % {
            "sku": sku_label(sku),
            "max": f"{MAX_STOCK:,}",
            "stock": sku.stock,
            "delta": delta,
        }
        raise StockError(message, fields={"delta": [message]})
    _move(sku, delta, reason=StockMoveReason.MANUAL, actor_id=context_user_id(context), note=note)
    return sku


@transaction.atomic
def sku_set_stock(
    *,
    context: ConsoleContext,
    sku_id: int,
    stock: int,
    reason: str = StockMoveReason.MANUAL,
    note: Said | str = "",
) -> Sku:
    """Set an absolute stock figure (matrix editor, import) as one recorded move."""
    sku = lock_sku(context, sku_id)
    if stock == sku.stock:
        return sku
    context.require_perm(Perm.STOCK_ADJUST)
    require_range(stock, field="stock", label=_("库存"), maximum=MAX_STOCK, error_class=StockError)
    _move(
        sku,
        stock - sku.stock,
        reason=reason,
        actor_id=context_user_id(context),
        note=note or Said("product_edit"),
    )
    return sku
