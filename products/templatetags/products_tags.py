from django import template

from products.money import fen_to_yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """1290 -> "¥12.90"; empty for None."""
    return f"¥{fen_to_yuan(fen)}" if fen is not None else ""


@register.simple_tag
def price_range(low, high) -> str:
    if low is None:
        return "—"
    if low == high:
        return yuan(low)
    return f"{yuan(low)} ~ {yuan(high)}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
