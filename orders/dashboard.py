"""首页 cards about orders: what must ship, what is about to be late or already is (with
the compensation at stake), and the after-sales waiting for the merchant."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.money import format_yuan as yuan
from shops.navigation import Card
from shops.tenancy import ConsoleContext

from .filters import AfterSaleTab, Deadline, OrderTab
from .selectors import order_home_summary


def _orders_url(**params) -> str:
    return f"{reverse('orders:list')}?{urlencode(params)}"


def shop_cards(context: ConsoleContext) -> list[Card]:
    summary = order_home_summary(context=context)
    pending = summary.aftersales_pending
    return [
        Card(_("待发货"), str(summary.to_ship), url=_orders_url(tab=OrderTab.TO_SHIP)),
        Card(
            _("即将超时"),
            str(summary.due_soon),
            hint=_("6 小时内须发货"),
            url=_orders_url(tab=OrderTab.TO_SHIP, deadline=Deadline.SOON, sort="ship_deadline"),
            tone="warn" if summary.due_soon.value else "",
        ),
        Card(
            _("已超时"),
            str(summary.overdue),
            hint=_("赔付风险 %(amount)s") % {"amount": yuan(summary.compensation_fen)},
            url=_orders_url(tab=OrderTab.TO_SHIP, deadline=Deadline.OVERDUE, sort="ship_deadline"),
            tone="danger" if summary.overdue.value else "",
        ),
        Card(
            _("售后待处理"),
            str(pending),
            url=f"{reverse('aftersales:list')}?{urlencode({'tab': AfterSaleTab.PENDING})}",
            tone="warn" if pending.value else "",
        ),
    ]
