"""The rows of a 数据 table rendered in Python: a year by day is hundreds of rows on
one page, where a template node per cell would cost more than all the SQL."""

from urllib.parse import quote

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def stats_rows(panel, query: str):
    """<tr>s of the panel's table; with `panel.drill`, the first cell links to the same
    period drilled into that value (地域 → its cities)."""
    if not panel.rows:
        return mark_safe(
            f'<tr><td colspan="{len(panel.headers)}" class="muted">{escape(_("本期暂无数据"))}</td></tr>'
        )
    rows = []
    for row in panel.rows:
        cells = [escape(str(cell)) for cell in row]
        if panel.drill:
            href = escape(f"?{query}&{panel.drill}={quote(str(row[0]))}#section-{panel.key}")
            cells[0] = f'<a href="{href}">{cells[0]}</a>'
        rows.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
    return mark_safe("\n".join(rows))
