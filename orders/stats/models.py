"""Rollups of a shop's orders, kept by the order services in the same transaction as
the change they count (orders.stats.rollups), so a period's figures are sums over a
few thousand rows whatever the number of orders. All days and hours are Beijing's.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShopHourStat(models.Model):
    """One Beijing hour of a shop: orders placed, paid (with their amount), refunded and
    cancelled in that hour, each by its own time."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    hour = models.PositiveSmallIntegerField(_("小时"))
    orders = models.IntegerField(_("订单总量"), default=0)
    paid_orders = models.IntegerField(_("支付订单数"), default=0)
    gmv_fen = models.BigIntegerField(_("成交金额（分）"), default=0)
    refunds = models.IntegerField(_("退款笔数"), default=0)
    refund_fen = models.BigIntegerField(_("退款金额（分）"), default=0)
    cancelled = models.IntegerField(_("取消订单"), default=0)

    class Meta:
        verbose_name = _("店铺小时数据")
        verbose_name_plural = _("店铺小时数据")
        constraints = [
            models.UniqueConstraint(fields=["shop", "day", "hour"], name="shophourstat_uniq")
        ]

    def __str__(self):
        return f"{self.day} {self.hour:02d}:00"


class Dim(models.TextChoices):
    """What a ShopDayStat / CreatorDayStat row breaks paid orders down by."""

    PRODUCT = "product", _("商品")
    PROVINCE = "province", _("省份")
    CITY = "city", _("城市")  # parent: the province
    CHANNEL = "channel", _("订单类型")
    SOURCE = "source", _("流量来源")
    CREATOR = "creator", _("达人")
    BAND = "band", _("价格带")
    VIDEO = "video", _("视频")
    LIVE = "live", _("直播")
    TOTAL = "total", _("合计")


class ShopDayStat(models.Model):
    """Paid orders of a shop on a Beijing day (by payment time) and their amount, by one
    dimension's key. For products the amount is the items' paid amount."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    dim = models.CharField(_("维度"), max_length=10, choices=Dim.choices)
    parent = models.CharField(_("上级"), max_length=40, blank=True, default="")
    key = models.CharField(_("键"), max_length=40)
    orders = models.IntegerField(_("支付订单数"), default=0)
    amount_fen = models.BigIntegerField(_("成交金额（分）"), default=0)

    class Meta:
        verbose_name = _("店铺日数据")
        verbose_name_plural = _("店铺日数据")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "dim", "parent", "day", "key"], name="shopdaystat_uniq"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.dim}={self.key}"


class CreatorDayStat(models.Model):
    """Paid orders a creator brought on a Beijing day, by one dimension's key (all
    shops together: the creator's board)."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey("shops.Creator", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    dim = models.CharField(_("维度"), max_length=10, choices=Dim.choices)
    key = models.CharField(_("键"), max_length=40)
    orders = models.IntegerField(_("支付订单数"), default=0)
    amount_fen = models.BigIntegerField(_("成交金额（分）"), default=0)

    class Meta:
        verbose_name = _("达人日数据")
        verbose_name_plural = _("达人日数据")
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "dim", "day", "key"], name="creatordaystat_uniq"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.dim}={self.key}"


class BuyerDay(models.Model):
    """A Beijing day on which a buyer paid at least one order of the shop."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    buyer_id = models.CharField(_("买家ID"), max_length=32)
    day = models.DateField(_("日期"))
    paid_orders = models.IntegerField(_("支付订单数"), default=0)

    class Meta:
        verbose_name = _("买家支付日")
        verbose_name_plural = _("买家支付日")
        constraints = [
            models.UniqueConstraint(fields=["shop", "buyer_id", "day"], name="buyerday_uniq")
        ]

    def __str__(self):
        return f"{self.buyer_id} {self.day}"


class BuyerGap(models.Model):
    """How many buyers paid on `day` whose previous paying day was `prev_day` (null: a
    first purchase). Distinct buyers of [a, b) are the rows with a ≤ day < b and
    prev_day < a or null, so 成交人数 over a year sums a few thousand rows, exactly;
    a null prev_day is a new buyer, any other a returning one."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    prev_day = models.DateField(_("上次支付日"), null=True)
    buyers = models.IntegerField(_("买家数"), default=0)

    class Meta:
        verbose_name = _("买家间隔")
        verbose_name_plural = _("买家间隔")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "prev_day"],
                name="buyergap_uniq",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.day} ← {self.prev_day}"
