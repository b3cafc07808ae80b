"""The ship batch's state machine: 待确认 → 排队中 → 发货中 → 已完成 / 失败."""

from django.utils.translation import gettext as _

from core.state import Machine

from ..exceptions import ShipBatchRefused
from ..models import ShipBatch, ShipBatchStatus

B = ShipBatchStatus
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    B.PREVIEWED: frozenset({B.QUEUED}),
    B.QUEUED: frozenset({B.RUNNING}),
    # A crashed run is picked up again while RUNNING (only ready rows are left).
    B.RUNNING: frozenset({B.DONE, B.FAILED}),
    B.DONE: frozenset(),
    B.FAILED: frozenset(),
}


def _refuse_batch(batch: ShipBatch, from_status: str, to_status: str) -> ShipBatchRefused:
    if to_status == B.QUEUED:
        return ShipBatchRefused(
            _("这个批量发货任务已经确认过（%(status)s），不能再次确认。")
            % {"status": B(from_status).label}
        )
    return ShipBatchRefused(
        _("批量发货任务当前为“%(from)s”，不能变为“%(to)s”。")
        % {"from": B(from_status).label, "to": B(to_status).label}
    )


# Not repeatable: confirming a confirmed batch is refused, not skipped.
BATCH_MACHINE = Machine(
    BATCH_TRANSITIONS, label=lambda status: B(status).label, refusal=_refuse_batch, repeatable=False
)
