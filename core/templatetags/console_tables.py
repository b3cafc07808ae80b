"""The console's list table, one shape for every page that lists rows.

    {% load console_tables %}
    {% table offer in offers class="aff-table" testid="offers" empty=_("还没有…") %}
      <th>…</th><th>…</th>
    {% row %}
      <tr>…</tr>
    {% empty %}            {# optional: a richer empty cell than empty="…" #}
      …
    {% endtable %}

renders ``<div class="table-wrap"><table class="table …"><thead><tr>`` + the
header cells + ``</tr></thead><tbody>`` + one row per item (a real ``{% for %}``,
so ``forloop`` works) + ``</tbody></table></div>``. With no items it renders one
row whose cell spans every header cell and holds the ``{% empty %}`` part or the
``empty`` text (class ``empty_class``, default ``muted``); with neither, nothing.
``pager=True`` (the rows being a numbered ``Page``) adds the page's pager,
``_pagination.html``, under the table.
"""

import re

from django import template
from django.template.base import token_kwargs
from django.template.defaulttags import ForNode
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

_OPTIONS = {"class", "testid", "empty", "empty_class", "pager"}
_HEADER_CELL = re.compile(r"<th[\s>]")


class _EmptyRow(template.Node):
    def __init__(self, nodelist, text, css):
        self.nodelist, self.text, self.css = nodelist, text, css

    def render(self, context):
        if self.nodelist is not None:
            inner = self.nodelist.render(context)
        elif self.text is not None:
            inner = conditional_escape(self.text.resolve(context))
        else:
            return ""
        css = self.css.resolve(context) if self.css is not None else "muted"
        return format_html(
            '<tr><td colspan="{}" class="{}">{}</td></tr>',
            context["_table_columns"],
            css,
            mark_safe(inner),
        )


class TableNode(template.Node):
    child_nodelists = ("nodelist_head", "nodelist_row", "nodelist_empty")

    def __init__(self, loopvar, sequence, options, nodelist_head, nodelist_row, nodelist_empty):
        self.options = options
        self.nodelist_head = nodelist_head
        self.nodelist_row = nodelist_row
        self.nodelist_empty = nodelist_empty
        empty_row = _EmptyRow(nodelist_empty, options.get("empty"), options.get("empty_class"))
        self.loop = ForNode(
            [loopvar], sequence, False, nodelist_row, template.NodeList([empty_row])
        )

    def render(self, context):
        head = self.nodelist_head.render(context)
        css = self.options.get("class")
        testid = self.options.get("testid")
        opening = format_html(
            '<div class="table-wrap">\n<table class="table{}"{}>\n<thead><tr>',
            f" {css.resolve(context)}" if css is not None else "",
            format_html(' data-testid="{}"', testid.resolve(context)) if testid is not None else "",
        )
        with context.push(_table_columns=len(_HEADER_CELL.findall(head))):
            rows = self.loop.render(context)
        html = f"{opening}{head}</tr></thead>\n<tbody>{rows}</tbody>\n</table>\n</div>"
        pager = self.options.get("pager")
        if pager is not None and pager.resolve(context):
            with context.push(page=self.loop.sequence.resolve(context)):
                html += context.template.engine.get_template("_pagination.html").render(context)
        return mark_safe(html)


@register.tag("table")
def do_table(parser, token):
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "in":
        raise template.TemplateSyntaxError(
            "'table' takes 'item in rows' and then options as name=value"
        )
    options = token_kwargs(bits[4:], parser)
    if len(options) != len(bits) - 4 or not set(options) <= _OPTIONS:
        raise template.TemplateSyntaxError(
            f"'table' options are {', '.join(sorted(_OPTIONS))} as name=value"
        )
    nodelist_head = parser.parse(("row",))
    parser.delete_first_token()
    nodelist_row = parser.parse(("empty", "endtable"))
    nodelist_empty = None
    if parser.next_token().contents == "empty":
        nodelist_empty = parser.parse(("endtable",))
        parser.delete_first_token()
    return TableNode(
        bits[1],
        parser.compile_filter(bits[3]),
        options,
        nodelist_head,
        nodelist_row,
        nodelist_empty,
    )
