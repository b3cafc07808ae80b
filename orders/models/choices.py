"""The codes orders use, as 抖店 has them (exports and integrations map one to one):
order and after-sale statuses and types, pay methods, channels, flags, timeline kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.IntegerChoices):
    UNPAID = 1, _("待支付")
    PAID = 105, _("已支付")
    AWAITING_SHIPMENT = 2, _("备货中")
    PARTIALLY_SHIPPED = 101, _("部分发货")
    SHIPPED = 3, _("已发货")
    CANCELLED = 4, _("已取消")
    COMPLETED = 5, _("已完成")


class PayMethod(models.IntegerChoices):
    # 抖店 pay_type: 0 货到付款, 1 微信, 2 支付宝; the others are xiaodian's codes.
    CASH_ON_DELIVERY = 0, _("货到付款")
    WECHAT = 1, _("微信")
    ALIPAY = 2, _("支付宝")
    DOUYIN_PAY = 4, _("抖音支付")
    PAY_LATER = 5, _("先用后付")


class Channel(models.IntegerChoices):
    # 抖店 c_biz
    ALLIANCE = 2, _("精选联盟")
    SHOP = 8, _("小店自卖")


class TrafficSource(models.TextChoices):
    SHOWCASE = "showcase", _("橱窗")
    VIDEO = "video", _("短视频")
    LIVE = "live", _("直播")
    SEARCH = "search", _("搜索")
    OTHER = "other", _("其他")


class RemarkFlag(models.IntegerChoices):
    # 抖店 seller_remark_stars
    GREY = 0, _("灰")
    PURPLE = 1, _("紫")
    CYAN = 2, _("青")
    GREEN = 3, _("绿")
    ORANGE = 4, _("橙")
    RED = 5, _("红")


class OrderEventKind(models.TextChoices):
    STATUS = "status", _("状态变更")
    PAYMENT = "payment", _("支付")
    SHIPMENT = "shipment", _("发货")
    REMARK = "remark", _("备注")
    RECEIVER_REVEAL = "reveal", _("查看收件人信息")
    AFTERSALE = "aftersale", _("售后")
    SYNC = "sync", _("同步")


class AfterSaleType(models.IntegerChoices):
    RETURN_REFUND = 0, _("退货退款")
    SHIPPED_REFUND_ONLY = 1, _("已发货仅退款")
    UNSHIPPED_REFUND_ONLY = 2, _("未发货仅退款")
    EXCHANGE = 3, _("换货")


class AfterSaleStatus(models.IntegerChoices):
    AWAITING_MERCHANT = 6, _("待商家同意")
    AWAITING_BUYER_RETURN = 7, _("待买家退货")
    AWAITING_MERCHANT_RECEIPT = 11, _("待商家收货")
    AWAITING_EXCHANGE_SHIPMENT = 8, _("待商家发货")
    SUCCEEDED = 12, _("售后成功")
    REJECTED = 27, _("商家拒绝")
    CLOSED = 28, _("售后关闭")


OPEN_AFTERSALE_STATUSES = (
    AfterSaleStatus.AWAITING_MERCHANT,
    AfterSaleStatus.AWAITING_BUYER_RETURN,
    AfterSaleStatus.AWAITING_MERCHANT_RECEIPT,
    AfterSaleStatus.AWAITING_EXCHANGE_SHIPMENT,
)
