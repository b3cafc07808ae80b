"""Prices are typed in yuan ("12.9") and stored in fen (1290)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def yuan_to_fen(value) -> int | None:
    """Fen for a yuan amount with at most two decimals; None when it is not one."""
    try:
        amount = Decimal(str(value).strip().lstrip("¥￥").replace(",", ""))
        # quantize itself refuses "1e400" (more digits than a Decimal context holds).
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            return None
    except (InvalidOperation, ValueError):
        return None
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> str:
    """ "12.90" (no currency sign; templates and exports add it where they need it)."""
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:.2f}"


def format_yuan(fen) -> str:
    """1290 -> "¥12.90", how every page shows money; "—" when there is none."""
    if fen is None or fen == "":
        return "—"
    return f"¥{fen_to_yuan(int(fen))}"
