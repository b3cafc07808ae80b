"""Reads of the catalogue, always scoped to the current shop."""

from django.db.models import Max, Min, Prefetch, Q, Sum

from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .models import Category, Product, ProductImage, Sku, StockMove


def category_leaves():
    """Second-level categories with their parents, for pickers."""
    return Category.objects.filter(parent__isnull=False).select_related("parent")


def category_roots():
    return Category.objects.filter(parent__isnull=True)


def category_by_path(text: str) -> Category | None:
    """ "服饰内衣/女装" (or ">" / "＞" separated), or a second-level name that is unique."""
    text = (text or "").strip()
    for separator in ("＞", ">", "／"):
        text = text.replace(separator, "/")
    parent, slash, name = (part.strip() for part in text.partition("/"))
    leaves = category_leaves()
    matches = leaves.filter(parent__name=parent, name=name) if slash else leaves.filter(name=parent)
    found = list(matches[:2])
    return found[0] if len(found) == 1 else None


def _active_skus():
    return Sku.objects.filter(is_active=True).order_by("pk")


def product_list(*, context: ConsoleContext):
    """The shop's products with what the list shows: stock total, price range, SKUs,
    images. Narrowed by `products.filters.ProductFilter` (console and API)."""
    active = Q(skus__is_active=True)
    return (
        scope(Product.objects.all(), context)
        .select_related("category__parent")
        .annotate(
            total_stock=Sum("skus__stock", filter=active),
            min_price_fen=Min("skus__price_fen", filter=active),
            max_price_fen=Max("skus__price_fen", filter=active),
        )
        .prefetch_related(
            Prefetch("skus", queryset=_active_skus(), to_attr="active_skus"),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        )
        .order_by("-updated_at", "-id")
    )


def product_detail(*, context: ConsoleContext, product_id: int) -> Product:
    queryset = Product.objects.select_related("category__parent", "shop").prefetch_related(
        Prefetch("skus", queryset=_active_skus(), to_attr="active_skus"),
        "specs__values",
        "images",
        "status_events__actor",
    )
    return get_scoped_or_404(queryset, context, pk=product_id)


def sku_list(*, context: ConsoleContext):
    """The shop's SKUs (narrowed by `products.filters.SkuFilter`)."""
    return scope(Sku.objects.select_related("product"), context).order_by("product_id", "pk")


def stock_moves(*, context: ConsoleContext, product_id: int | None = None, sku_id=None):
    queryset = scope(StockMove.objects.select_related("sku__product", "actor"), context)
    if product_id is not None:
        queryset = queryset.filter(sku__product_id=product_id)
    if sku_id is not None:
        queryset = queryset.filter(sku_id=sku_id)
    return queryset.order_by("-created_at", "-id")


def export_skus(*, context: ConsoleContext, products=None):
    """One row per active SKU of `products` (the list's filtered products; all the shop's
    by default), for export."""
    products = scope(Product.objects.all(), context) if products is None else products
    return (
        scope(Sku.objects.filter(is_active=True), context)
        .filter(product__in=products.values("pk"))
        .select_related("product__category__parent")
        .order_by("product_id", "pk")
    )
