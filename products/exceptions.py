from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class ProductError(DomainError):
    code = "product_invalid"


class SpecError(ProductError):
    code = "spec_invalid"


class PublishRefused(ProductError):
    code = "publish_refused"


class StatusChangeRefused(ProductError):
    code = "status_change_refused"


class StockError(DomainError):
    code = "stock_invalid"


class OutOfStock(StockError):
    """An order line asks for more than is left; nothing was taken."""

    code = "out_of_stock"
    default_message = _("库存不足。")


class ImageRejected(ProductError):
    code = "image_rejected"


class ImportRejected(DomainError):
    """The import file as a whole cannot be read (empty, missing columns, wrong format)."""

    code = "import_rejected"
