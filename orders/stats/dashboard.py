"""首页 headline cards: today's figures with their 环比 against yesterday."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shops.navigation import Card
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from .periods import preset_period
from .selectors import overview
from .views import headline

HOME_FIGURES = ("orders", "gmv_fen", "buyers", "refund_fen")


def shop_cards(context: ConsoleContext) -> list[Card]:
    if not context.has_perm(Perm.DATA_VIEW):
        return []
    cards = {
        card["key"]: card
        for card in headline(overview(context=context, period=preset_period("today")))
    }
    url = reverse("stats:overview") + "?period=today"
    return [
        Card(
            _("今日%(label)s") % {"label": cards[key]["label"]},
            cards[key]["value"],
            hint=_("较昨日 %(change)s") % {"change": cards[key]["change"]},
            url=url,
        )
        for key in HOME_FIGURES
    ]
