"""Orders as 抖店 models them: a shop order (主订单) with child orders (子订单, one per SKU
line), its payments, its events, and after-sales (售后) on child orders.

Status codes are 抖店's, so exports and integrations map one to one. Every model of the
app is imported here so Django registers it with the orders app.
"""

# Models that live with their code: the change log behind incremental sync (written by
# triggers, orders.changes), orders as files, 数据's rollups, webhooks.
from ..changes import OrderChange  # noqa: F401
from ..files.models import (  # noqa: F401
    ExportSchedule,
    ExportTemplate,
    ImportTemplate,
    OrderExport,
    OrderImport,
)
from ..stats.models import (  # noqa: F401
    BuyerDay,
    BuyerGap,
    CreatorDayStat,
    ShopDayStat,
    ShopHourStat,
)
from ..webhooks.models import (  # noqa: F401
    WebhookAttempt,
    WebhookCursor,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .aftersales import AfterSale
from .choices import (
    OPEN_AFTERSALE_STATUSES,
    AfterSaleStatus,
    AfterSaleType,
    Channel,
    OrderEventKind,
    OrderStatus,
    PayMethod,
    RemarkFlag,
    TrafficSource,
)
from .events import AfterSaleEvent, OrderEvent
from .orders import RECEIVER_FIELDS, RECEIVER_KEYS, Order, OrderItem, Payment

__all__ = [
    "OPEN_AFTERSALE_STATUSES",
    "RECEIVER_FIELDS",
    "RECEIVER_KEYS",
    "AfterSale",
    "AfterSaleEvent",
    "AfterSaleStatus",
    "AfterSaleType",
    "Channel",
    "Order",
    "OrderEvent",
    "OrderEventKind",
    "OrderItem",
    "OrderStatus",
    "PayMethod",
    "Payment",
    "RemarkFlag",
    "TrafficSource",
]
