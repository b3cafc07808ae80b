from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class ProductError(DomainError):
    """A product or SKU that fails its fields' rules (title, category, price, 商家编码)."""

    code = "product_invalid"


class SpecError(ProductError):
    """Specs that make no SKU matrix: too many, empty or repeated names and values."""

    code = "spec_invalid"


class PublishRefused(ProductError):
    """上架 of a product missing what a listing needs (`publish_problems`)."""

    code = "publish_refused"


class StatusChangeRefused(ProductError):
    """上架/下架/违规下架 the product's status does not allow."""

    code = "status_change_refused"


class StockError(DomainError):
    """A stock change with a bad quantity, an unknown SKU or a wrong reason."""

    code = "stock_invalid"


class OutOfStock(StockError):
    """An order line asks for more than is left; nothing was taken."""

    code = "out_of_stock"
    default_message = _("库存不足。")


class ImageRejected(ProductError):
    """A 主图 refused: not an accepted image (type, size, pixels), or one too many."""

    code = "image_rejected"


class ImportRejected(DomainError):
    """The import file as a whole cannot be read (empty, missing columns, wrong format)."""

    code = "import_rejected"
