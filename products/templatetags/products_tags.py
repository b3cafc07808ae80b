from django import template

from core.money import format_yuan as yuan

register = template.Library()
register.filter("yuan", yuan)


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
