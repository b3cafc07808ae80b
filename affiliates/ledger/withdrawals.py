"""提现: a creator asks for settled 精选联盟 income; platform staff pay or reject it in
/admin/. Each step is a pair of ledger entries, so 可提现 is always a sum of entries:
asking moves the amount 已结算 → 提现中 at once, paying 提现中 → 已提现, rejecting
提现中 → 已结算 (the amount comes back)."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import clean_or_raise
from core.money import fen_to_yuan
from core.state import lock_in_pk_order
from shops.models import Creator
from shops.tenancy import ConsoleContext, ContextKind

from .exceptions import WithdrawalRefused
from .machines import WITHDRAWAL_MACHINE
from .models import (
    WITHDRAWABLE_SOURCES,
    Bucket,
    EntryKind,
    IncomeSource,
    LedgerEntry,
    Withdrawal,
    WithdrawalStatus,
)
from .services import Amounts, entry_append

W = WithdrawalStatus

# (kind, from bucket, to bucket) of each step.
STEPS = {
    W.REVIEWING: (EntryKind.WITHDRAW_HOLD, Bucket.SETTLED, Bucket.WITHDRAWING),
    W.PAID: (EntryKind.WITHDRAW_PAID, Bucket.WITHDRAWING, Bucket.WITHDRAWN),
    W.REJECTED: (EntryKind.WITHDRAW_RELEASE, Bucket.WITHDRAWING, Bucket.SETTLED),
}


def withdrawable_fen(creator_id: int) -> int:
    """可提现: settled income xiaodian pays out, less what withdrawals hold or took."""
    total = LedgerEntry.objects.filter(
        creator_id=creator_id, bucket=Bucket.SETTLED, source__in=WITHDRAWABLE_SOURCES
    ).aggregate(total=Sum("net_fen"))["total"]
    return total or 0


def _step(withdrawal: Withdrawal, status: int, *, actor=None, reason: str = "") -> None:
    kind, from_bucket, to_bucket = STEPS[status]
    for bucket, sign in ((from_bucket, -1), (to_bucket, 1)):
        entry_append(
            creator_id=withdrawal.creator_id,
            source=IncomeSource.JINGXUAN,
            kind=kind,
            bucket=bucket,
            amounts=Amounts(commission_fen=sign * withdrawal.amount_fen),
            ordered_at=withdrawal.requested_at,
            reason=reason,
            actor=actor,
            withdrawal=withdrawal,
        )


@transaction.atomic
def withdrawal_request(*, context: ConsoleContext, amount_fen: int, account: str) -> Withdrawal:
    """Hold `amount_fen` of the creator's 可提现 at once. The creator row is locked, so
    two requests at the same moment are checked one after the other."""
    if context.kind != ContextKind.CREATOR:
        raise WithdrawalRefused(_("只有达人可以提现。"))
    creator = lock_in_pk_order(Creator.objects.all(), [context.creator.pk])[0]
    amount_fen = int(amount_fen)
    available = withdrawable_fen(creator.pk)
    if amount_fen <= 0:
        message = _("提现金额必须大于 0。")
        raise WithdrawalRefused(message, fields={"amount_fen": [message]})
    if amount_fen > available:
        message = _("提现金额 ¥%(want)s 超过可提现余额 ¥%(left)s。") % {
            "want": fen_to_yuan(amount_fen),
            "left": fen_to_yuan(available),
        }
        raise WithdrawalRefused(message, fields={"amount_fen": [message]})
    withdrawal = Withdrawal(creator=creator, amount_fen=amount_fen, account=account.strip())
    clean_or_raise(withdrawal, WithdrawalRefused, exclude=["creator", "decided_by"])
    withdrawal.save()
    _step(withdrawal, W.REVIEWING, actor=creator.user, reason=_("申请提现"))
    return withdrawal


def _decide(withdrawal_id: int, status: int, *, actor, reason: str) -> Withdrawal:
    withdrawal = lock_in_pk_order(Withdrawal.objects.all(), [withdrawal_id])[0]

    def on_change(row, from_status, to_status):
        if to_status == W.REJECTED:
            row.reject_reason = reason[:200]
        row.decided_at = timezone.now()
        row.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        _step(row, to_status, actor=actor, reason=reason)

    if WITHDRAWAL_MACHINE.move_locked([withdrawal], status, on_change=on_change):
        withdrawal.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])
    return withdrawal


@transaction.atomic
def withdrawal_pay(*, withdrawal_id: int, actor) -> Withdrawal:
    """已打款: staff paid the amount out (an /admin/ action)."""
    return _decide(withdrawal_id, W.PAID, actor=actor, reason=_("已打款"))


@transaction.atomic
def withdrawal_reject(*, withdrawal_id: int, actor, reason: str) -> Withdrawal:
    """已驳回: the held amount returns to 可提现."""
    reason = reason.strip()
    if not reason:
        message = _("请填写驳回原因。")
        raise WithdrawalRefused(message, fields={"reject_reason": [message]})
    return _decide(withdrawal_id, W.REJECTED, actor=actor, reason=reason)
