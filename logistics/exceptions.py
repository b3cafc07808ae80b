from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class LogisticsError(DomainError, code="logistics_invalid"):
    """What every logistics error derives from (a caller may catch them all)."""


class ShipRequestInvalid(LogisticsError, code="ship_invalid"):
    """A parcel that cannot be shipped as asked (tracking number, receivers, lines)."""


class CorrectionRefused(LogisticsError, code="correction_refused"):
    """A tracking-number correction past its window, unchanged, or with a bad number."""


class PrintRefused(LogisticsError, code="print_refused", message=_("没有可打印的包裹。")):
    """A print job with no parcel left to print."""


class TrackingPushInvalid(LogisticsError, code="tracking_push_invalid"):
    """A tracking push body that is not the documented JSON."""


class ShipBatchFileRejected(LogisticsError, code="ship_batch_file_rejected"):
    """A batch-ship file that cannot be read as a whole (type, encoding, columns)."""


class ShipBatchRefused(LogisticsError, code="ship_batch_refused"):
    """A batch-ship task that is gone, or whose status does not allow the step."""
