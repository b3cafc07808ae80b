"""Commission amounts: rates in basis points, half-up rounding to the fen, once per entry."""

import pytest

from affiliates.ledger.services import apply_rate, commission_amounts


@pytest.mark.parametrize(
    ("base_fen", "rate_bp", "fee_bp", "commission_fen", "fee_fen", "net_fen"),
    [
        (9900, 2000, 1000, 1980, 198, 1782),  # ¥99 at 20%
        (1, 5000, 1000, 1, 0, 1),  # 0.5 fen rounds up
        (333, 1500, 1000, 50, 5, 45),  # 49.95 → 50
        (12345, 1234, 1000, 1523, 152, 1371),  # 1523.373 → 1523; 152.3 → 152
        (105, 1000, 1000, 11, 1, 10),  # 10.5 → 11; 1.1 → 1
        (15, 1000, 1000, 2, 0, 2),  # 1.5 → 2; 0.2 → 0
        (0, 2000, 1000, 0, 0, 0),
        (9900, 9000, 0, 8910, 0, 8910),  # no fee
    ],
)
def test_commission_amounts(base_fen, rate_bp, fee_bp, commission_fen, fee_fen, net_fen):
    # when
    amounts = commission_amounts(base_fen=base_fen, rate_bp=rate_bp, fee_rate_bp=fee_bp)
    # then
    assert (amounts.commission_fen, amounts.fee_fen, amounts.net_fen) == (
        commission_fen,
        fee_fen,
        net_fen,
    )
    assert amounts.net_fen + amounts.fee_fen == amounts.commission_fen


@pytest.mark.parametrize(("amount", "rate", "want"), [(25, 2000, 5), (5, 1000, 1), (4, 1000, 0)])
def test_apply_rate_rounds_half_up(amount, rate, want):
    assert apply_rate(amount, rate) == want
