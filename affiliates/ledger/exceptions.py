from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class WithdrawalRefused(DomainError, code="withdrawal_refused", message=_("无法提现。")):
    """A 提现 refused: not a creator, an amount over the balance, a bad account or reason."""
