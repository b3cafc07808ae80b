from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class LogisticsError(DomainError):
    """What every logistics error derives from (a caller may catch them all)."""

    code = "logistics_invalid"


class ShipRequestInvalid(LogisticsError):
    """A parcel that cannot be shipped as asked (tracking number, receivers, lines)."""

    code = "ship_invalid"


class CorrectionRefused(LogisticsError):
    """A tracking-number correction past its window, unchanged, or with a bad number."""

    code = "correction_refused"


class PrintRefused(LogisticsError):
    """A print job with no parcel left to print."""

    code = "print_refused"
    default_message = _("没有可打印的包裹。")


class TrackingPushInvalid(LogisticsError):
    """A tracking push body that is not the documented JSON."""

    code = "tracking_push_invalid"


class ShipBatchFileRejected(LogisticsError):
    """A batch-ship file that cannot be read as a whole (type, encoding, columns)."""

    code = "ship_batch_file_rejected"


class ShipBatchRefused(LogisticsError):
    """A batch-ship task that is gone, or whose status does not allow the step."""

    code = "ship_batch_refused"
