from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class LogisticsError(DomainError):
    code = "logistics_invalid"


class ShipRequestInvalid(LogisticsError):
    """A parcel that cannot be shipped as asked (tracking number, receivers, lines)."""

    code = "ship_invalid"


class CorrectionRefused(LogisticsError):
    code = "correction_refused"


class PrintRefused(LogisticsError):
    code = "print_refused"
    default_message = _("没有可打印的包裹。")


class TrackingPushInvalid(LogisticsError):
    code = "tracking_push_invalid"


class ShipBatchFileRejected(LogisticsError):
    """A batch-ship file that cannot be read as a whole (type, encoding, columns)."""

    code = "ship_batch_file_rejected"


class ShipBatchRefused(LogisticsError):
    code = "ship_batch_refused"
