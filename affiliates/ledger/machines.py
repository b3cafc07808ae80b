"""The ledger's state machines, side by side (`core.state.Machine`; a state with no row
in its table is final). Each is moved in one place: commissions by
`services.commission_move`, settlements by `settlement._move`, withdrawals by
`withdrawals._decide`."""

from core.state import Machine

from .models import CommissionState, SettlementState, WithdrawalStatus

C, S, W = CommissionState, SettlementState, WithdrawalStatus


def _machine(states, transitions: dict, *, field: str) -> Machine:
    return Machine(transitions, label=lambda state: states(state).label, field=field)


COMMISSION_MACHINE = _machine(
    C,
    {
        C.ESTIMATED: frozenset({C.PENDING, C.INVALID}),
        C.PENDING: frozenset({C.SETTLED, C.INVALID}),
    },
    field="state",
)
SETTLEMENT_MACHINE = _machine(S, {S.PENDING: frozenset({S.SETTLED, S.CLOSED})}, field="state")
WITHDRAWAL_MACHINE = _machine(W, {W.REVIEWING: frozenset({W.PAID, W.REJECTED})}, field="status")
