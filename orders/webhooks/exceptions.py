from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class WebhookError(DomainError):
    code = "webhook_error"
    default_message = _("推送地址无法使用。")
