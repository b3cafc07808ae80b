from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class WebhookError(DomainError, code="webhook_error", message=_("推送地址无法使用。")):
    """A 消息推送 endpoint refused: no event, one too many, or a URL that cannot be used."""
