"""After-sales (售后): a buyer's request on one child order."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_AFTERSALE_STATUSES, AfterSaleStatus, AfterSaleType
from .orders import Order, OrderItem


class AfterSale(models.Model):
    """A buyer's after-sale request on one child order."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, related_name="+", verbose_name=_("店铺")
    )
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="aftersales", verbose_name=_("订单")
    )
    item = models.ForeignKey(
        OrderItem, on_delete=models.CASCADE, related_name="aftersales", verbose_name=_("子订单")
    )
    aftersale_no = models.CharField(_("售后单号"), max_length=19)
    type = models.PositiveSmallIntegerField(_("售后类型"), choices=AfterSaleType.choices)
    status = models.PositiveSmallIntegerField(
        _("售后状态"), choices=AfterSaleStatus.choices, default=AfterSaleStatus.AWAITING_MERCHANT
    )
    quantity = models.PositiveIntegerField(_("数量"))
    refund_fen = models.PositiveIntegerField(_("退款金额（分）"), default=0)
    reason = models.CharField(_("售后原因"), max_length=100)
    description = models.CharField(_("问题描述"), max_length=500, blank=True)
    reject_reason = models.CharField(_("拒绝原因"), max_length=200, blank=True)
    return_tracking_no = models.CharField(_("退货运单号"), max_length=40, blank=True)
    return_carrier = models.CharField(_("退货快递公司"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("售后单")
        verbose_name_plural = _("售后单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "aftersale_no"], name="aftersale_shop_no_uniq"),
            # One open after-sale per child order at a time, as on 抖店.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=[6, 7, 11, 8]),
                name="aftersale_one_open_per_item",
                violation_error_message=_("该商品已有进行中的售后单。"),
            ),
        ]
        indexes = [
            models.Index(
                fields=["shop", "status", "-created_at"], name="aftersale_shop_status_idx"
            ),
            models.Index(fields=["shop", "-created_at"], name="aftersale_shop_created_idx"),
        ]

    def __str__(self):
        return self.aftersale_no

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AFTERSALE_STATUSES
