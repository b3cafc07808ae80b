"""Timelines: the order's and the after-sale's event rows, rendered through
translation when displayed (core.models.Event)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import Event

from .aftersales import AfterSale
from .choices import AfterSaleStatus, OrderEventKind, OrderStatus, PayMethod, RemarkFlag
from .orders import Order


def _remark_line(params: dict) -> str:
    parts = []
    if params.get("remark") is not None:
        parts.append(
            gettext("备注：%(remark)s") % {"remark": params["remark"] or gettext("（清空）")}
        )
    if params.get("flag") is not None:
        parts.append(gettext("旗帜：%(flag)s") % {"flag": params["flag"]})
    return gettext("；").join(parts)


def _shipped_line(params: dict) -> str:
    """What shipped (子订单 ×件数), after the parcel or batch it went in."""
    items = "、".join(params.get("items", []))
    via = OrderEvent.render(params.get("via_code", ""), params.get("via"))
    return f"{via} {items}" if via else items


def _aftersale_line(params: dict) -> str:
    line = gettext("售后单 %(no)s：%(status)s") % {
        "no": params.get("no", ""),
        "status": AfterSaleStatus(params["status"]).label,
    }
    detail = AfterSaleEvent.render(params.get("detail_code", ""), params.get("detail"))
    return (
        gettext("%(message)s（%(note)s）") % {"message": line, "note": detail} if detail else line
    )


class OrderEvent(Event):
    """The order's timeline: who did what, when, and from which status to which."""

    SHOP_FIELD = "order__shop_id"
    MESSAGES = {
        "placed": _("提交订单"),
        # Methods are named as buyers know them (微信, 抖音支付): never "…支付支付".
        "paid": _("已支付 ¥%(amount)s（%(method)s），支付单号 %(id)s"),
        "accepted": _("支付已确认，订单进入备货"),
        "signed": _("买家已签收（%(at)s）"),
        "completed": _("确认收货"),
        "remark": _remark_line,
        "reveal": _("查看了收件人完整信息"),
        "aftersale": _aftersale_line,
        "refund_recount": _("售后退款后按商品数量更新"),
        "shipped": _shipped_line,
        "parcel": _("%(carrier)s %(no)s"),
        "batch": _("批量发货（%(file)s）"),
    }
    LABELS = {"method": PayMethod, "flag": RemarkFlag}

    # No index of its own: orderevent_order_idx leads with it.
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        verbose_name=_("订单"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=OrderEventKind.choices)
    from_status = models.PositiveSmallIntegerField(
        _("原状态"), choices=OrderStatus.choices, null=True, blank=True
    )
    to_status = models.PositiveSmallIntegerField(
        _("新状态"), choices=OrderStatus.choices, null=True, blank=True
    )
    # Who acted when there is no user: 买家, 系统, 支付平台 …
    actor_label = models.CharField(_("操作方"), max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("订单记录")
        verbose_name_plural = _("订单记录")
        ordering = ["order_id", "created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="orderevent_order_idx")]

    def __str__(self):
        return f"{self.order_id} {self.get_kind_display()}"


class AfterSaleEvent(Event):
    SHOP_FIELD = "aftersale__shop_id"
    MESSAGES = {
        "agreed": _("同意，请买家退货"),
        "withdrawn": _("买家撤销"),
        "return_parcel": _("%(carrier)s %(no)s"),
        "refunded": _("退款 ¥%(amount)s"),
        "received_exchange": _("已收到退回商品，待发出换货"),
        "exchange_shipped": _("换货已发出"),
        "exchange_parcel": _("换货已发出：%(carrier)s %(no)s"),
    }

    aftersale = models.ForeignKey(
        AfterSale, on_delete=models.CASCADE, related_name="events", verbose_name=_("售后单")
    )
    from_status = models.PositiveSmallIntegerField(
        _("原状态"), choices=AfterSaleStatus.choices, null=True, blank=True
    )
    to_status = models.PositiveSmallIntegerField(_("新状态"), choices=AfterSaleStatus.choices)
    actor_label = models.CharField(_("操作方"), max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("售后记录")
        verbose_name_plural = _("售后记录")
        ordering = ["aftersale_id", "created_at", "id"]

    def __str__(self):
        return f"{self.aftersale_id} → {self.get_to_status_display()}"
