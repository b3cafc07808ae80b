"""The one shape of every state machine: a transition table (a plain dict), rows locked
in primary-key order, a guarded move, and notices sent after commit.

Each machine (orders, after-sales, products, 精选联盟 offers, ship batches, commissions,
withdrawals) declares a `Machine` next to its models and moves its rows only through
`Machine.move_locked` (or a service built on it). The machine knows nothing of events or
times: the owning app stamps and records them in the `on_change` it passes, so an
event row is written in the same transaction as the move.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError

log = logging.getLogger(__name__)


class TransitionRefused(
    DomainError, code="transition_refused", message=_("当前状态不允许这项操作。")
):
    """A move the machine's table does not allow; an app's machine may refuse with a
    subclass of its own (`orders.exceptions.TransitionRefused`, `AfterSaleRefused`)."""


def lock_in_pk_order(queryset, ids: Iterable[int]) -> list:
    """Lock the rows with these ids, in primary-key order, so that two writers locking
    overlapping sets never deadlock. Returns them in that order."""
    return list(queryset.select_for_update().filter(pk__in=set(ids)).order_by("pk"))


@dataclass(frozen=True)
class Machine:
    """`transitions[from] = {to, ...}`; `label(status)` names a status for people;
    `refusal` builds the error a refused move raises (it names the row)."""

    transitions: dict
    label: Callable[[object], str]
    field: str = "status"
    refusal: Callable[[object, object, object], DomainError] | None = None
    # False: a move to the status a row is already in is refused, not skipped (a
    # person's explicit action, e.g. 上架 of a product on sale, rather than a retry).
    repeatable: bool = True

    def allows(self, from_status, to_status) -> bool:
        return to_status in self.transitions.get(from_status, ())

    def check(self, row, to_status) -> None:
        from_status = getattr(row, self.field)
        if (from_status == to_status and self.repeatable) or self.allows(from_status, to_status):
            return
        if self.refusal is not None:
            raise self.refusal(row, from_status, to_status)
        raise TransitionRefused(
            _("当前为“%(from)s”，不能变为“%(to)s”。")
            % {"from": self.label(from_status), "to": self.label(to_status)}
        )

    def move_locked(
        self,
        rows: list,
        to_status,
        *,
        on_change: Callable[[object, object, object], None] | None = None,
    ) -> list[tuple[object, object, object]]:
        """Move rows the caller has locked (`lock_in_pk_order`) to `to_status`, or,
        for a batch whose rows go different ways, to `to_status(row)` when it is a
        callable.

        One refusal refuses all (the transaction rolls back). A row already in
        its target is left as it is, so timers, callbacks and retries may repeat.
        `on_change(row, from, to)` stamps times and writes the event; the caller saves.
        Returns the (row, from, to) that changed."""
        targets = [to_status(row) if callable(to_status) else to_status for row in rows]
        for row, target in zip(rows, targets, strict=True):
            self.check(row, target)
        changes = []
        for row, target in zip(rows, targets, strict=True):
            from_status = getattr(row, self.field)
            if from_status == target:
                continue
            setattr(row, self.field, target)
            if on_change is not None:
                on_change(row, from_status, target)
            changes.append((row, from_status, target))
        return changes


def announce_on_commit(signal, sender, notices: list[dict]) -> None:
    """Send `signal` once per notice after the transaction commits. A failing receiver
    is logged, never raised: the change is committed, and a payment callback or a
    batch must not answer 500 for a listener's fault."""
    if not notices:
        return

    def send():
        for notice in notices:
            for receiver, result in signal.send_robust(sender=sender, **notice):
                if isinstance(result, Exception):
                    log.error(
                        "receiver %r of %s failed",
                        receiver,
                        sender.__name__,
                        exc_info=(type(result), result, result.__traceback__),
                    )

    transaction.on_commit(send, robust=True)
