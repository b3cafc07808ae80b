"""首页: a warning card for each endpoint paused by consecutive failures (人工预警)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shops.navigation import Card
from shops.roles import Perm
from shops.tenancy import ConsoleContext

from .selectors import paused_by_failures


def shop_cards(context: ConsoleContext) -> list[Card]:
    if not context.has_perm(Perm.WEBHOOKS_MANAGE):
        return []
    return [
        Card(
            _("消息推送已暂停"),
            endpoint.url,
            hint=_("连续失败 %(n)s 次，请检查接收方后恢复推送")
            % {"n": endpoint.consecutive_failures},
            url=reverse("webhooks:detail", args=[endpoint.pk]),
            tone="danger",
        )
        for endpoint in paused_by_failures(context=context)
    ]
