"""Writes a 淘宝联盟 / 京东联盟 report into the creator's ledger: preview (a dry run that
is rolled back, so it says exactly what confirm will do) and an all-or-nothing confirm.

A report line is a `Commission` of its source keyed by (creator, source, the union's
child order id). Its money is entries like any commission's: a new line is an IMPORT
entry in its state's bucket; a later report that moves it forward (订单付款 → 订单结算)
moves it through the ledger's state machine and writes the difference in amount as one
more entry. Re-importing the same file writes nothing. The unions' income is shown,
never withdrawn from xiaodian (`WITHDRAWABLE_SOURCES`); their fee is already out of the
income they report, so the entries carry no fee of ours.
"""

import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import tabular
from core.exceptions import DomainError
from core.state import lock_in_pk_order
from shops.models import Creator

from .models import STATE_BUCKET, Commission, CommissionState, EntryKind
from .reports import FORMATS, CellError, ReportRow, read_report
from .services import Amounts, commission_move, commission_totals, ledger_append

C = CommissionState
# What a creator may upload at once (the unions' monthly reports are far smaller).
MAX_BYTES = 10 * 1024 * 1024

# The way forward between two states (the machine has no 预估 → 已结算 step).
PATHS = {
    (C.ESTIMATED, C.PENDING): [C.PENDING],
    (C.ESTIMATED, C.SETTLED): [C.PENDING, C.SETTLED],
    (C.PENDING, C.SETTLED): [C.SETTLED],
    (C.ESTIMATED, C.INVALID): [C.INVALID],
    (C.PENDING, C.INVALID): [C.INVALID],
}
# An older report read after a newer one: what is recorded stays.
BEHIND = {(C.PENDING, C.ESTIMATED), (C.SETTLED, C.ESTIMATED), (C.SETTLED, C.PENDING)}


class ReportRejected(DomainError, code="report_rejected"):
    """A report with errors: none of it is imported; `outcome` names every one."""

    def __init__(self, outcome: "ReportOutcome"):
        self.outcome = outcome
        super().__init__(
            _("报表有 %(n)s 处错误，未导入任何数据。") % {"n": len(outcome.errors)},
            fields={"file": [str(error) for error in outcome.errors]},
        )


@dataclass
class ReportOutcome(tabular.UpsertCounts):
    source: str
    estimated_fen: int = 0
    settled_fen: int = 0
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
            "estimated_fen": self.estimated_fen,
            "settled_fen": self.settled_fen,
        }


def report_preview(*, creator: Creator, source: str, content: bytes) -> ReportOutcome:
    """What importing `content` would do, row by row; nothing is kept."""
    with transaction.atomic():
        outcome = _apply(creator=creator, source=source, content=content, actor=None)
        transaction.set_rollback(True)
    return outcome


@transaction.atomic
def report_import(*, creator: Creator, source: str, content: bytes, actor=None) -> ReportOutcome:
    """Import the report, all or nothing: any row in error raises ReportRejected and
    the database is as it was."""
    outcome = _apply(creator=creator, source=source, content=content, actor=actor)
    if outcome.errors:
        raise ReportRejected(outcome)
    return outcome


def report_stash(creator_id: int, source: str, content: bytes, filename: str) -> dict:
    """Keep a previewed report until it is confirmed; what to remember of it."""
    path = default_storage.save(
        f"affiliate-reports/{creator_id}/{uuid.uuid4().hex}", ContentFile(content)
    )
    return {"path": path, "source": source, "creator_id": creator_id, "filename": filename}


def _apply(*, creator, source, content, actor) -> ReportOutcome:
    if source not in FORMATS:
        raise DomainError(_("未知的报表来源“%(source)s”。") % {"source": source})
    try:
        report = read_report(content, source=source)
    except tabular.FileRejected as exc:
        raise DomainError(exc.message, fields={"file": [str(exc.message)]}) from exc
    outcome = ReportOutcome(source=source, rows=report.total, errors=list(report.errors))
    for row in report.rows:
        if row.state != C.INVALID:
            outcome.estimated_fen += row.estimated_fen
        if row.state == C.SETTLED:
            outcome.settled_fen += row.settled_fen or 0
    # One import per creator at a time: the creator row is the lock.
    Creator.objects.select_for_update().get(pk=creator.pk)
    keys = [row.key for row in report.rows]
    ids = Commission.objects.filter(
        creator=creator, source=source, external_order_no__in=keys
    ).values_list("pk", flat=True)
    existing = {
        c.external_order_no: c for c in lock_in_pk_order(Commission.objects.all(), list(ids))
    }
    reason = _("导入%(union)s报表") % {"union": FORMATS[source].label}
    for row in report.rows:
        commission = existing.get(row.key)
        if commission is None:
            _create(creator, source, row, reason=reason, actor=actor)
            outcome.new += 1
        elif _update(commission, row, outcome, reason=reason, actor=actor):
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    outcome.errors.sort(key=lambda error: error.row)
    return outcome


def _create(creator, source, row: ReportRow, *, reason, actor) -> None:
    commission = Commission(
        creator=creator,
        source=source,
        order_no=row.order_no,
        external_order_no=row.key,
        product_title=row.title or row.key,
        rate_bp=row.rate_bp,
        fee_rate_bp=row.fee_rate_bp,
        ordered_at=row.ordered_at,
    )
    commission.full_clean(validate_unique=False, validate_constraints=False)
    commission.save()
    ledger_append(
        commission,
        kind=EntryKind.IMPORT,
        bucket=STATE_BUCKET[C.ESTIMATED],
        amounts=Amounts(row.base_fen, row.estimated_fen, 0),
        reason=reason,
        actor=actor,
    )
    _follow(commission, row, reason=reason, actor=actor)


def _update(commission: Commission, row: ReportRow, outcome, *, reason, actor) -> bool:
    """True when the row changed the commission."""
    step = (commission.state, row.state)
    if step in BEHIND:
        outcome.notes.append(
            _("第 %(row)s 行：报表状态“%(new)s”早于已记录的“%(old)s”，保持不变。")
            % {
                "row": row.row,
                "new": C(row.state).label,
                "old": C(commission.state).label,
            }
        )
        return False
    if commission.state != row.state and step not in PATHS:
        outcome.errors.append(
            CellError(
                row.row,
                _("订单状态"),
                _("已记录为“%(old)s”，不能变为“%(new)s”。")
                % {"old": C(commission.state).label, "new": C(row.state).label},
            )
        )
        return False
    return _follow(commission, row, reason=reason, actor=actor)


def _follow(commission: Commission, row: ReportRow, *, reason, actor) -> bool:
    """Move the commission to the row's state, then its amount to the row's income."""
    changed = False
    for state in PATHS.get((commission.state, row.state), []):
        changed |= commission_move(commission, state, reason=reason, actor=actor)
    if row.state == C.SETTLED and row.settled_at and commission.settled_at != row.settled_at:
        commission.settled_at = row.settled_at
        commission.save(update_fields=["settled_at"])
    elif row.state == C.PENDING and commission.completed_at is None:
        commission.completed_at = row.settled_at or timezone.now()
        commission.save(update_fields=["completed_at"])
    delta = Amounts(row.base_fen, row.income_fen, 0) - commission_totals(commission)
    if delta:
        ledger_append(
            commission,
            kind=EntryKind.IMPORT,
            bucket=STATE_BUCKET[commission.state],
            amounts=delta,
            reason=reason,
            actor=actor,
        )
        changed = True
    return changed
