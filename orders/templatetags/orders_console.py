"""Pieces of the order console rendered in Python: they repeat on every row of a list
page, where template nodes, includes and widget templates would cost more than the SQL."""

from django import forms, template
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_yuan as yuan

from ..models import Channel, OrderStatus, TrafficSource

register = template.Library()

STATE_BADGES = {
    "overdue": ("o-badge-danger", gettext_lazy("已超时")),
    "soon": ("o-badge-warn", gettext_lazy("即将超时")),
}


@register.simple_tag
def order_flag(order):
    """The seller remark's flag (旗帜) as a coloured mark; nothing without a flag."""
    if order.remark_flag is None:
        return ""
    label = order.get_remark_flag_display()
    return format_html(
        '<span class="o-flag o-flag-{}" title="{}：{}">⚑<span class="sr-only">{}</span></span>',
        order.remark_flag,
        _("旗帜"),
        label,
        label,
    )


@register.simple_tag
def ship_deadline(deadline):
    """Time left to ship (剩余 / 已超时) with its badge and the compensation at stake."""
    if not deadline:
        return ""
    badge = ""
    if deadline["state"] in STATE_BADGES:
        css, text = STATE_BADGES[deadline["state"]]
        badge = format_html('<span class="o-badge {}">{}</span>', css, text)
    compensation = ""
    if deadline["compensation_fen"]:
        compensation = format_html(
            '<span class="o-compensation">{}</span>',
            _("赔付 %(amount)s") % {"amount": yuan(deadline["compensation_fen"])},
        )
    return format_html(
        '<div class="o-deadline o-deadline-{}">{}<span class="o-remaining">{}</span>{}</div>',
        deadline["state"],
        badge,
        deadline["text"],
        compensation,
    )


@register.simple_tag
def filter_control(field):
    """A filter form control, built here rather than through the widget templates (one
    template render per input and per select option)."""
    widget = field.field.widget
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        current = "" if field.value() is None else str(field.value())
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if str(value) == current else "", label)
                for value, label in field.field.choices
            ),
        )
        return format_html(
            '<select name="{}" id="{}">{}</select>', field.html_name, field.auto_id, options
        )
    if isinstance(widget, Input) and not widget.is_hidden:
        value = widget.format_value(field.value())
        return format_html(
            '<input type="{}" name="{}" id="{}" value="{}">',
            widget.input_type,
            field.html_name,
            field.auto_id,
            "" if value is None else value,
        )
    return field.as_widget()


class _Labels:
    """Every label a list row shows, translated once per page rather than once per row
    (gettext and lazy choice labels dominate the cost of rendering a row)."""

    def __init__(self):
        self.no_image = _("无图")
        self.outer_code = _("商家编码")
        self.creator = _("达人")
        self.in_aftersale = _("售后中")
        self.remark = _("备注")
        self.select = _("选择订单")
        self.order_no = _("订单编号")
        self.created = _("下单")
        self.shipping = _("含运费 %(fee)s")
        self.detail = _("详情")
        # Column names, repeated on each cell for a phone, where the cells stack.
        self.price_quantity = _("单价/数量")
        self.paid = _("实付金额")
        self.receiver = _("收件人")
        self.status = _("订单状态")
        self.channels = {value: str(label) for value, label in Channel.choices}
        self.sources = {value: str(label) for value, label in TrafficSource.choices}
        self.statuses = {value: str(label) for value, label in OrderStatus.choices}


def _item_cell(item, labels):
    image = (
        format_html('<img src="{}" alt="" class="o-thumb">', item.image_url)
        if item.image_url
        else format_html('<span class="o-thumb o-thumb-empty">{}</span>', labels.no_image)
    )
    spec = (
        format_html('<div class="muted small">{}</div>', item.spec_text) if item.spec_text else ""
    )
    code = (
        format_html('<div class="muted small">{} {}</div>', labels.outer_code, item.outer_code)
        if item.outer_code
        else ""
    )
    return format_html(
        '<td><div class="o-item-cell">{}<div><div class="o-title">{}</div>{}{}</div></div></td>'
        '<td class="num" data-label="{}">{}<div class="muted">× {}</div></td>',
        image,
        item.product_title,
        spec,
        code,
        labels.price_quantity,
        yuan(item.unit_price_fen),
        item.quantity,
    )


def _order_head(row, labels):
    order = row["order"]
    creator = (
        format_html(
            '<span class="o-tag o-tag-creator">{} {}</span>', labels.creator, order.creator.nickname
        )
        if order.creator
        else ""
    )
    aftersale = (
        format_html('<span class="o-badge o-badge-warn">{}</span>', labels.in_aftersale)
        if order.in_aftersale
        else ""
    )
    remark = ""
    if order.seller_remark:
        short = (
            order.seller_remark
            if len(order.seller_remark) <= 30
            else order.seller_remark[:29] + "…"
        )
        remark = format_html(
            '<span class="o-remark" title="{}">{}：{}</span>',
            order.seller_remark,
            labels.remark,
            short,
        )
    return format_html(
        '<tr class="o-order-head"><td colspan="6">'
        '<input type="checkbox" name="order_ids" value="{}" form="bulk" aria-label="{} {}">'
        '<span>{} <a href="{}" class="o-no">{}</a></span><span class="muted">{} {}</span>'
        '<span class="o-tag">{}</span><span class="o-tag">{}</span>{}{}{}{}</td></tr>',
        order.pk,
        labels.select,
        order.order_no,
        labels.order_no,
        row["url"],
        order.order_no,
        labels.created,
        localtime(order.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        labels.channels.get(order.channel, order.channel),
        labels.sources.get(order.traffic_source, order.traffic_source),
        creator,
        aftersale,
        order_flag(order),
        remark,
    )


def _order_cells(row, labels):
    """The cells that span every item line: amount, receiver, status, actions."""
    order, span = row["order"], len(row["items"])
    return format_html(
        '<td class="num" rowspan="{}" data-label="{}"><strong>{}</strong>'
        '<div class="muted small">{}</div></td>'
        '<td rowspan="{}" class="o-receiver-cell" data-label="{}"><div>{} {}</div>'
        '<div class="muted small">{}</div></td>'
        '<td rowspan="{}" data-label="{}"><span class="o-status o-status-{}">{}</span>{}</td>'
        '<td rowspan="{}" class="nowrap"><a href="{}">{}</a></td>',
        span,
        labels.paid,
        yuan(order.paid_fen),
        labels.shipping % {"fee": yuan(order.shipping_fen)},
        span,
        labels.receiver,
        row["receiver"]["name"],
        row["receiver"]["phone"],
        row["receiver"]["address"],
        span,
        labels.status,
        order.status,
        labels.statuses.get(order.status, order.status),
        ship_deadline(row["deadline"]),
        span,
        row["url"],
        labels.detail,
    )


@register.simple_tag
def order_blocks(rows):
    """The orders of a list page: per order a head line, then a line per child order.

    Rendered here rather than in the template: a page of up to 100 orders × ~50 template
    nodes cost more than every SQL query of the page at a million orders."""
    labels = _Labels()
    blocks = []
    for row in rows:
        lines = [
            format_html(
                '<tr class="o-item">{}{}</tr>',
                _item_cell(item, labels),
                _order_cells(row, labels) if n == 0 else "",
            )
            for n, item in enumerate(row["items"])
        ]
        blocks.append(
            format_html(
                '<tbody class="o-order" data-order="{}">{}{}</tbody>',
                row["order"].order_no,
                _order_head(row, labels),
                mark_safe("".join(lines)),  # noqa: S308 - each line is built by format_html
            )
        )
    return mark_safe("".join(blocks))  # noqa: S308 - each block is built by format_html
