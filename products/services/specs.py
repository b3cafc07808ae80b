"""Specs (规格) and the SKU matrix they generate; each SKU's price and 商家编码."""

import itertools
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from core.bounds import MAX_FEN, require_range
from core.exceptions import clean_or_raise
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from ..exceptions import ProductError, SpecError, StockError
from ..models import Product, ProductSpec, ProductSpecValue, Sku
from .locks import lock_product, lock_sku
from .stock import sku_set_stock

MAX_SPECS = 3
MAX_SPEC_VALUES = 20
MAX_SKUS = 200


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
    product = lock_product(context, product_id)
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
    sku = lock_sku(context, sku_id)
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
