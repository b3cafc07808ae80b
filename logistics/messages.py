"""What a 批量发货 row says, as codes and parameters (`ShipBatchRow.code`, `.params`),
rendered in the reader's language when shown: the console page, the result report and
/admin/ read `row.text`. The shipping service says some of the same things when it
refuses (a number another shop holds, a number that is not the carrier's), through
`render` here, so a refusal and a row read the same.

Parameters hold values, not labels: statuses and types are choice values (`LABELS`),
columns are field names, so nothing stored is in the writer's language."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import Said
from orders.models import AfterSaleStatus, AfterSaleType, OrderStatus


def _columns(names) -> str:
    """Columns of the batch file by field name, as their headers read."""
    from .models import ShipBatchRow  # the model reads this module's tables

    return "、".join(str(ShipBatchRow._meta.get_field(name).verbose_name) for name in names)


def _cells(params: dict) -> str:
    """Everything wrong with a row's cells, one message after another."""
    return " ".join(render(Said(code, part)) for code, part in params.get("problems", []))


def _over_owed(params: dict) -> str:
    text = gettext("子订单 %(item)s 待发货 %(left)s 件，不能发 %(want)s 件。") % params
    if params.get("planned_row"):
        text += gettext("（第 %(n)s 行已安排发货 %(planned)s 件）") % {
            "n": params["planned_row"],
            "planned": params["planned"],
        }
    return text


def _aftersale_open(params: dict) -> str:
    text = gettext(
        "子订单 %(item)s 有进行中的售后单 %(aftersale)s（%(type)s，%(status)s），"
        "处理完成前不能发货。"
    ) % {**params, "status": params["aftersale_status"]}
    return text + _split_hint(params)


def _split_hint(params: dict) -> str:
    return gettext("其他商品可填写子订单编号分别发货。") if params.get("split") else ""


def _shipped(params: dict) -> str:
    texts = [gettext("已发货：%(carrier)s %(tracking)s。") % params]
    texts += [str(REUSED_NUMBER) % reused for reused in params.get("reused", [])]
    return " ".join(texts)


REUSED_NUMBER = _("快递单号 %(no)s 已用于其他收件人的订单 %(orders)s，请确认没有填错。")

MESSAGES = {
    # The cells themselves (read from the file).
    "cells": _cells,
    "quantity_not_positive": _("发货数量“%(value)s”不是正整数。"),
    "scientific": lambda p: (
        gettext(
            "%(column)s“%(value)s”被 Excel 显示成了科学计数法，后几位已经丢失："
            "请把这一列设为“文本”格式，重新粘贴编号后再上传。"
        )
        % {**p, "column": _columns([p["field"]])}
    ),
    "tracking_scientific": _(
        "快递单号“%(value)s”被 Excel 显示成了科学计数法，请把这一列设为“文本”格式。"
    ),
    "too_long": lambda p: (
        gettext("%(column)s“%(value)s…”太长。") % {**p, "column": _columns([p["field"]])}
    ),
    "missing": lambda p: gettext("缺少%(what)s。") % {"what": _columns(p["fields"])},
    # The row against the file and the shop.
    "duplicate_row": _("与第 %(n)s 行重复（同一订单、子订单和快递单号），只按第 %(n)s 行处理。"),
    "item_no_as_order_no": _(
        "%(no)s 是子订单编号：订单号一列请填主订单编号，子订单编号填在“子订单编号”列。"
    ),
    "order_not_found": _("订单号 %(no)s 不存在，请核对是否为本店订单的主订单编号。"),
    "carrier_unknown": _("快递公司“%(text)s”无法识别，可填写名称、简称或编码，例如：%(names)s。"),
    "tracking_no_missing": _("请填写快递单号。"),
    "tracking_no_too_long": _("快递单号“%(no)s”太长。"),
    "tracking_no_format": _("快递单号“%(no)s”不符合%(carrier)s的单号格式，应类似 %(expected)s。"),
    "number_taken": _("%(carrier)s运单号 %(no)s 已被使用，不能用于发货，请核对快递公司和单号。"),
    "item_not_in_order": _("子订单编号 %(item)s 不属于订单 %(no)s。"),
    "already_shipped": _("订单 %(no)s 已用快递单号 %(tracking)s 发过货，未重复发货。"),
    # Whether the order may ship (orders.shipping's rule, said per row).
    "order_status": lambda p: (
        gettext("订单 %(no)s 当前为“%(status)s”，不能发货。")
        % {"no": p["no"], "status": p["order_status"]}
    ),
    "aftersale_open": _aftersale_open,
    "over_owed": lambda p: _over_owed(p) + _split_hint(p),
    "quantity_without_item": _("填写了发货数量时，请同时填写子订单编号。"),
    "planned_by_rows": lambda p: (
        gettext("订单 %(no)s 的商品已由第 %(rows)s 行安排发货，这一行没有可发的数量。")
        % {**p, "rows": "、".join(map(str, p["rows"]))}
    ),
    "nothing_to_ship": _("订单 %(no)s 没有待发货的商品。"),
    # Outcomes.
    "ready": _("可发货：%(carrier)s %(tracking)s，%(n)s 件。"),
    "shipped": _shipped,
}

LABELS = {
    "order_status": OrderStatus,
    "aftersale_status": AfterSaleStatus,
    "type": AfterSaleType,
}


def render(said: Said) -> str:
    """What `said` (a code of MESSAGES) says, in the active language."""
    from .models import ShipBatchRow  # the model reads this module's tables

    return ShipBatchRow.render(said.code, said.params)
