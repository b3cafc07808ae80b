from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def state_total(totals: dict, state: str) -> int:
    return totals.get(f"{state}_fen", 0)


@register.simple_tag
def entries_query(state: str, period) -> str:
    """The entry list's query for one total: its state and its period's days."""
    params = {"state": state}
    if period.start:
        params["start"] = period.start.isoformat()
    if period.end:
        params["end"] = period.end.isoformat()
    return urlencode(params)
