from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class WithdrawalRefused(DomainError):
    code = "withdrawal_refused"
    default_message = _("无法提现。")
