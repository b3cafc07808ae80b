"""Products themselves: create and edit (with their SKU matrix), and 销量."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from core.exceptions import clean_or_raise
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from ..exceptions import ProductError
from ..models import Category, Product, ProductStatus
from .locks import lock_product
from .specs import product_save_matrix
from .status import product_publish

PRODUCT_FIELDS = (
    "title",
    "category",
    "description",
    "return_policy",
    "ship_promise",
    "limit_per_order",
    "limit_per_buyer",
)


def _check_category(category: Category) -> None:
    if category.children.exists():
        raise ProductError(
            _("请选择二级类目（“%(name)s”下还有子类目）。") % {"name": category.name},
            fields={"category": [_("请选择二级类目。")]},
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
    product = lock_product(context, product_id)
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


@transaction.atomic
def product_record_sales(*, quantities: dict[int, int]) -> None:
    """Add paid units (negative: a paid order cancelled) to products' 销量, in pk order."""
    for product_id, delta in sorted(quantities.items()):
        if delta:
            Product.objects.filter(pk=product_id).update(
                sales_count=Greatest(F("sales_count") + delta, 0)
            )
