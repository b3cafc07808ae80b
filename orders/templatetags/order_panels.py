"""`{% order_panels "order_detail" order %}`: the panels other apps registered for a
place on an orders page (orders.panels), each rendered with its own context."""

from django import template
from django.utils.safestring import mark_safe

from ..panels import panel_contexts

register = template.Library()


@register.simple_tag(takes_context=True)
def order_panels(context, page, obj=None):
    request = context.get("request")
    engine = context.template.engine
    rendered = []
    for panel, values in panel_contexts(page, request, obj):
        # Like an inclusion tag: the parent's request and CSRF token, nothing else.
        values = {"request": request, "csrf_token": context.get("csrf_token"), **values}
        rendered.append(engine.get_template(panel.template).render(context.new(values)))
    return mark_safe("".join(rendered))  # noqa: S308 - each part is a rendered template
