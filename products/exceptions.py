from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class ProductError(DomainError, code="product_invalid"):
    """A product or SKU that fails its fields' rules (title, category, price, 商家编码)."""


class SpecError(ProductError, code="spec_invalid"):
    """Specs that make no SKU matrix: too many, empty or repeated names and values."""


class PublishRefused(ProductError, code="publish_refused"):
    """上架 of a product missing what a listing needs (`publish_problems`)."""


class StatusChangeRefused(ProductError, code="status_change_refused"):
    """上架/下架/违规下架 the product's status does not allow."""


class StockError(DomainError, code="stock_invalid"):
    """A stock change with a bad quantity, an unknown SKU or a wrong reason."""


class OutOfStock(StockError, code="out_of_stock", message=_("库存不足。")):
    """An order line asks for more than is left; nothing was taken."""


class ImageRejected(ProductError, code="image_rejected"):
    """A 主图 refused: not an accepted image (type, size, pixels), or one too many."""


class ImportRejected(DomainError, code="import_rejected"):
    """The import file as a whole cannot be read (empty, missing columns, wrong format)."""
