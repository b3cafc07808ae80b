"""Every write to the catalogue. Stock changes only here: rows are locked in primary-key
order, every change leaves a StockMove, and stock never goes below zero."""

import itertools
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import context_user_id
from core.bounds import MAX_FEN, MAX_STOCK, require_range
from core.exceptions import PermissionRefused, clean_or_raise
from core.models import Said, said_fields
from core.state import Machine, announce_on_commit
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .exceptions import (
    ImageRejected,
    OutOfStock,
    ProductError,
    PublishRefused,
    SpecError,
    StatusChangeRefused,
    StockError,
)
from .images import image_read, image_thumbnail
from .models import (
    MAX_IMAGES,
    Category,
    Product,
    ProductImage,
    ProductSpec,
    ProductSpecValue,
    ProductStatus,
    ProductStatusEvent,
    Sku,
    StockMove,
    StockMoveReason,
)
from .signals import product_status_changed

PRODUCT_FIELDS = (
    "title",
    "category",
    "description",
    "return_policy",
    "ship_promise",
    "limit_per_order",
    "limit_per_buyer",
)
MAX_SPECS = 3
MAX_SPEC_VALUES = 20
MAX_SKUS = 200

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


def sku_label(sku: Sku) -> str:
    return (
        f"「{sku.product.title} {sku.spec_text}」" if sku.spec_text else f"「{sku.product.title}」"
    )


# --- products -------------------------------------------------------------------------


def _check_category(category: Category) -> None:
    if category.children.exists():
        raise ProductError(
            _("请选择二级类目（“%(name)s”下还有子类目）。") % {"name": category.name},
            fields={"category": [_("请选择二级类目。")]},
        )


def _lock_product(context: ConsoleContext, product_id: int) -> Product:
    return get_scoped_or_404(
        Product.objects.select_for_update(of=("self",)), context, pk=product_id
    )


@transaction.atomic
def product_create(
    *,
    context: ConsoleContext,
    title: str,
    category: Category,
    description: str = "",
    return_policy: int | None = None,
    ship_promise: int | None = None,
    limit_per_order: int | None = None,
    limit_per_buyer: int | None = None,
    specs: list[tuple[str, list[str]]] | None = None,
    rows: list[dict] | None = None,
    publish: bool = False,
) -> Product:
    """A new draft product with its SKU matrix (one default SKU when it has no specs);
    with `publish` (保存并上架) it goes on sale too, or, refused, nothing is saved."""
    context.require_perm(Perm.PRODUCT_EDIT)
    product = Product(
        shop=context.shop,
        title=title,
        category=category,
        description=description,
        limit_per_order=limit_per_order,
        limit_per_buyer=limit_per_buyer,
    )
    if return_policy is not None:
        product.return_policy = return_policy
    if ship_promise is not None:
        product.ship_promise = ship_promise
    clean_or_raise(product, ProductError, unique=True)
    _check_category(category)
    product.save()
    product_save_matrix(context=context, product_id=product.pk, specs=specs or [], rows=rows or [])
    if publish:
        product = product_publish(context=context, product_id=product.pk)
    return product


@transaction.atomic
def product_update(
    *,
    context: ConsoleContext,
    product_id: int,
    data: dict,
    specs: list[tuple[str, list[str]]] | None = None,
    rows: list[dict] | None = None,
    publish: bool = False,
) -> Product:
    """Change the product's fields; with `specs`, also its SKU matrix; with `publish`,
    put it on sale in the same transaction (refused: none of the changes is saved)."""
    context.require_perm(Perm.PRODUCT_EDIT)
    product = _lock_product(context, product_id)
    for name, value in data.items():
        if name in PRODUCT_FIELDS:
            setattr(product, name, value)
    clean_or_raise(product, ProductError, unique=True)
    if "category" in data:
        _check_category(product.category)
    product.save()
    if specs is not None:
        product_save_matrix(context=context, product_id=product.pk, specs=specs, rows=rows or [])
    if publish and product.status != ProductStatus.ON_SALE:
        product = product_publish(context=context, product_id=product.pk)
    return product


# --- specs and the SKU matrix ---------------------------------------------------------


def _clean_specs(specs) -> list[tuple[str, list[str]]]:
    cleaned: list[tuple[str, list[str]]] = []
    if len(specs) > MAX_SPECS:
        raise SpecError(_("最多 %(n)s 个规格。") % {"n": MAX_SPECS})
    for raw_name, raw_values in specs:
        name = (raw_name or "").strip()
        values = [v.strip() for v in raw_values if v and v.strip()]
        if not name:
            raise SpecError(_("规格名不能为空。"), fields={"specs": [_("规格名不能为空。")]})
        for text in [name, *values]:
            if ":" in text or ";" in text or "：" in text or "；" in text:
                raise SpecError(
                    _("规格“%(text)s”不能包含冒号或分号。") % {"text": text},
                    fields={"specs": [_("规格不能包含冒号或分号。")]},
                )
        if any(name == n for n, _v in cleaned):
            raise SpecError(_("规格名“%(name)s”重复。") % {"name": name})
        if not values:
            raise SpecError(
                _("规格“%(name)s”至少要有一个规格值。") % {"name": name},
                fields={"specs": [_("每个规格至少要有一个规格值。")]},
            )
        duplicates = [v for v, n in Counter(values).items() if n > 1]
        if duplicates:
            raise SpecError(
                _("规格“%(name)s”的值“%(value)s”重复。") % {"name": name, "value": duplicates[0]}
            )
        if len(values) > MAX_SPEC_VALUES:
            raise SpecError(
                _("规格“%(name)s”最多 %(n)s 个值。") % {"name": name, "n": MAX_SPEC_VALUES}
            )
        if len(name) > 20 or any(len(v) > 30 for v in values):
            raise SpecError(_("规格名最多 20 个字，规格值最多 30 个字。"))
        cleaned.append((name, values))
    return cleaned


def spec_combinations(specs: list[tuple[str, list[str]]]) -> list[list[dict]]:
    """Every combination of spec values, in spec order: [[{name, value}, ...], ...]."""
    if not specs:
        return [[]]
    names = [name for name, _values in specs]
    return [
        [{"name": n, "value": v} for n, v in zip(names, combo, strict=True)]
        for combo in itertools.product(*(values for _name, values in specs))
    ]


def spec_text_of(spec_values: list[dict]) -> str:
    return ";".join(f"{sv['name']}:{sv['value']}" for sv in spec_values)


def current_specs(product: Product) -> list[tuple[str, list[str]]]:
    return [
        (spec.name, [v.value for v in spec.values.all()])
        for spec in product.specs.prefetch_related("values")
    ]


@transaction.atomic
def product_set_specs(
    *, context: ConsoleContext, product_id: int, specs: list[tuple[str, list[str]]]
) -> list[Sku]:
    """Replace the spec names/values and regenerate the SKU matrix.

    A combination that survives keeps its SKU (price, stock, 商家编码); new ones start
    without price and with no stock; dropped ones are deactivated, never deleted, since
    orders and stock moves point at them. Returns the active SKUs in matrix order.
    """
    context.require_perm(Perm.PRODUCT_EDIT)
    product = _lock_product(context, product_id)
    specs = _clean_specs(specs)
    combos = spec_combinations(specs)
    if len(combos) > MAX_SKUS:
        raise SpecError(
            _("规格组合共 %(n)s 个，最多 %(max)s 个。") % {"n": len(combos), "max": MAX_SKUS}
        )
    existing = {
        sku.spec_text: sku
        for sku in Sku.objects.select_for_update().filter(product=product).order_by("pk")
    }
    texts = [spec_text_of(c) for c in combos]
    if specs == current_specs(product) and all(
        t in existing and existing[t].is_active for t in texts
    ):
        # Nothing to change: leave the rows (and their ids) as they are.
        return [existing[t] for t in texts]
    product.specs.all().delete()
    for position, (name, values) in enumerate(specs):
        spec = ProductSpec.objects.create(product=product, name=name, position=position)
        ProductSpecValue.objects.bulk_create(
            ProductSpecValue(spec=spec, value=value, position=i) for i, value in enumerate(values)
        )
    result = []
    for spec_values, text in zip(combos, texts, strict=True):
        sku = existing.pop(text, None)
        if sku is None:
            sku = Sku(product=product, shop_id=product.shop_id, spec_text=text)
        sku.spec_values = spec_values
        sku.is_active = True
        sku.product = product
        sku.save()
        result.append(sku)
    for stale in existing.values():
        if stale.is_active:
            stale.is_active = False
            stale.save(update_fields=["is_active", "updated_at"])
    return result


def _row_error(sku: Sku, message: str) -> ProductError:
    return ProductError(
        _("规格 %(sku)s：%(message)s") % {"sku": sku.spec_label, "message": message},
        fields={"skus": [message]},
    )


@transaction.atomic
def product_save_matrix(
    *,
    context: ConsoleContext,
    product_id: int,
    specs: list[tuple[str, list[str]]],
    rows: list[dict],
) -> list[Sku]:
    """Specs plus each generated row's price/stock/商家编码, all or nothing.

    `rows` are dicts with `spec_text` and any of `price_fen`, `stock`, `outer_code`.
    Price changes need the price permission and stock changes the stock permission;
    a row that changes neither needs neither.
    """
    skus = product_set_specs(context=context, product_id=product_id, specs=specs)
    by_text = {sku.spec_text: sku for sku in skus}
    for row in rows:
        sku = by_text.get(row.get("spec_text", ""))
        if sku is None:
            raise SpecError(
                _("规格“%(spec)s”不在规格组合中。") % {"spec": row.get("spec_text", "")}
            )
        changes = {k: row[k] for k in ("price_fen", "outer_code") if k in row}
        try:
            if changes:
                sku_update(context=context, sku_id=sku.pk, data=changes)
            if row.get("stock") is not None:
                sku_set_stock(context=context, sku_id=sku.pk, stock=row["stock"])
        except StockError as exc:
            raise _row_error(sku, str(exc.message)) from exc
        except ProductError as exc:
            if isinstance(exc, SpecError):
                raise
            raise _row_error(sku, str(exc.message)) from exc
    return list(Sku.objects.filter(pk__in=[s.pk for s in skus]).order_by("pk"))


@transaction.atomic
def sku_update(*, context: ConsoleContext, sku_id: int, data: dict) -> Sku:
    """Price (needs the price permission: warehouse staff cannot) and 商家编码."""
    sku = get_scoped_or_404(
        Sku.objects.select_for_update(of=("self",)).select_related("product"), context, pk=sku_id
    )
    fields = []
    if "price_fen" in data and data["price_fen"] != sku.price_fen:
        context.require_perm(Perm.PRODUCT_PRICE_EDIT)
        if data["price_fen"] is None or data["price_fen"] <= 0:
            raise ProductError(_("价格必须大于 0。"), fields={"price_fen": [_("价格必须大于 0。")]})
        require_range(
            data["price_fen"],
            field="price_fen",
            label=_("价格（分）"),
            minimum=1,
            maximum=MAX_FEN,
            error_class=ProductError,
        )
        sku.price_fen = data["price_fen"]
        fields.append("price_fen")
    if "outer_code" in data and (data["outer_code"] or "") != sku.outer_code:
        context.require_perm(Perm.PRODUCT_EDIT)
        sku.outer_code = (data["outer_code"] or "").strip()
        fields.append("outer_code")
    if fields:
        clean_or_raise(sku, ProductError, unique=True)
        sku.save(update_fields=[*fields, "updated_at"])
    return sku


# --- product status -------------------------------------------------------------------


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


def _lock_products(context: ConsoleContext, product_ids) -> list[Product]:
    return list(
        scope(Product.objects.select_for_update(of=("self",)), context)
        .filter(pk__in=list(product_ids))
        .prefetch_related("skus")
        .order_by("pk")
    )


@transaction.atomic
def product_publish(*, context: ConsoleContext, product_id: int) -> Product:
    context.require_perm(Perm.PRODUCT_EDIT)
    product = _lock_product(context, product_id)
    return _transition(product, "publish", actor_id=context_user_id(context))


@transaction.atomic
def product_unpublish(*, context: ConsoleContext, product_id: int) -> Product:
    context.require_perm(Perm.PRODUCT_EDIT)
    product = _lock_product(context, product_id)
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
    for product in _lock_products(context, product_ids):
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


# --- stock ----------------------------------------------------------------------------


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


def _lock_sku(context: ConsoleContext, sku_id: int) -> Sku:
    return get_scoped_or_404(
        Sku.objects.select_for_update(of=("self",)).select_related("product"), context, pk=sku_id
    )


@transaction.atomic
def sku_adjust_stock(*, context: ConsoleContext, sku_id: int, delta: int, note: str) -> Sku:
    """手动调整: +/- delta with a reason, never below zero."""
    context.require_perm(Perm.STOCK_ADJUST)
    sku = _lock_sku(context, sku_id)
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
    sku = _lock_sku(context, sku_id)
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


# --- images ---------------------------------------------------------------------------


@transaction.atomic
def product_image_add(*, context: ConsoleContext, product_id: int, upload) -> ProductImage:
    """Add a main image (at most MAX_IMAGES) and its thumbnail."""
    context.require_perm(Perm.PRODUCT_EDIT)
    product = _lock_product(context, product_id)
    count = product.images.count()
    if count >= MAX_IMAGES:
        raise ImageRejected(
            _("主图最多 %(n)s 张。") % {"n": MAX_IMAGES},
            fields={"image": [_("主图已满 %(n)s 张。") % {"n": MAX_IMAGES}]},
        )
    picture = image_read(upload)
    image = ProductImage(product=product, image=upload, position=count)
    try:
        image.full_clean(exclude=["product", "thumbnail"])
    except ValidationError as exc:
        messages = [m for msgs in exc.message_dict.values() for m in msgs]
        raise ImageRejected(" ".join(messages), fields={"image": messages}) from exc
    thumbnail = image_thumbnail(picture)
    upload.seek(0)
    image.save()
    image.thumbnail.save(f"thumb_{image.pk}.jpg", ContentFile(thumbnail), save=True)
    return image


@transaction.atomic
def product_image_remove(*, context: ConsoleContext, image_id: int) -> None:
    context.require_perm(Perm.PRODUCT_EDIT)
    image = get_scoped_or_404(ProductImage.objects.all(), context, pk=image_id)
    _lock_product(context, image.product_id)
    image.delete()


@transaction.atomic
def product_record_sales(*, quantities: dict[int, int]) -> None:
    """Add paid units (negative: a paid order cancelled) to products' 销量, in pk order."""
    for product_id, delta in sorted(quantities.items()):
        if delta:
            Product.objects.filter(pk=product_id).update(
                sales_count=Greatest(F("sales_count") + delta, 0)
            )
