"""The row locks the catalogue services take, one definition each, so every service
locks the same rows the same way (of="self": joined rows are not locked)."""

from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from ..models import Product, Sku


def lock_product(context: ConsoleContext, product_id: int) -> Product:
    return get_scoped_or_404(
        Product.objects.select_for_update(of=("self",)), context, pk=product_id
    )


def lock_products(context: ConsoleContext, product_ids) -> list[Product]:
    """The shop's products among `product_ids`, locked in primary-key order."""
    return list(
        scope(Product.objects.select_for_update(of=("self",)), context)
        .filter(pk__in=list(product_ids))
        .prefetch_related("skus")
        .order_by("pk")
    )


def lock_sku(context: ConsoleContext, sku_id: int) -> Sku:
    return get_scoped_or_404(
        Sku.objects.select_for_update(of=("self",)).select_related("product"), context, pk=sku_id
    )
