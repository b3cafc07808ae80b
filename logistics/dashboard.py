"""首页 card about shipping: parcels with no tracking event 24 hours after shipping
(无揽收记录), the pattern of a fake shipment that the platform punishes."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shops.navigation import Card
from shops.tenancy import ConsoleContext

from .selectors import no_scan_count


def shop_cards(context: ConsoleContext) -> list[Card]:
    count = no_scan_count(context=context)
    return [
        Card(
            _("无揽收记录"),
            str(count),
            hint=_("发货 24 小时仍无物流轨迹"),
            url=f"{reverse('logistics:shipments')}?no_scan=on",
            tone="danger" if count else "",
        )
    ]
