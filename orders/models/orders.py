"""A shop order (主订单), its child orders (子订单, one per SKU line) and its payments."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..regions import PROVINCE_CHOICES
from .choices import Channel, OrderStatus, PayMethod, RemarkFlag, TrafficSource

# The receiver as order_place takes it ({"name": …}) and as Order stores it.
RECEIVER_KEYS = ("name", "phone", "province", "city", "district", "street", "detail")
RECEIVER_FIELDS = tuple(f"receiver_{key}" for key in RECEIVER_KEYS)


class Order(models.Model):
    SHOP_FIELD = "shop_id"

    # No index of its own: every index below leads with the shop.
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
        verbose_name=_("店铺"),
    )
    order_no = models.CharField(_("主订单编号"), max_length=19)
    status = models.PositiveSmallIntegerField(
        _("订单状态"), choices=OrderStatus.choices, default=OrderStatus.UNPAID
    )

    buyer_id = models.CharField(_("买家ID"), max_length=32)
    buyer_nickname = models.CharField(_("买家昵称"), max_length=40, blank=True)
    # Where a buyer checkout came from: caps open unpaid orders per client (orders.limits).
    buyer_ip = models.GenericIPAddressField(_("下单IP"), null=True, blank=True)
    receiver_name = models.CharField(_("收件人"), max_length=30)
    receiver_phone = models.CharField(_("收件人手机号"), max_length=20)
    receiver_province = models.CharField(_("省"), max_length=20, choices=PROVINCE_CHOICES)
    receiver_city = models.CharField(_("市"), max_length=20)
    receiver_district = models.CharField(_("区"), max_length=20)
    receiver_street = models.CharField(_("街道"), max_length=40, blank=True)
    receiver_detail = models.CharField(_("详细地址"), max_length=120)

    goods_total_fen = models.PositiveIntegerField(_("商品金额（分）"), default=0)
    shipping_fen = models.PositiveIntegerField(_("运费（分）"), default=0)
    platform_discount_fen = models.PositiveIntegerField(_("平台优惠（分）"), default=0)
    shop_discount_fen = models.PositiveIntegerField(_("商家优惠（分）"), default=0)
    creator_discount_fen = models.PositiveIntegerField(_("达人优惠（分）"), default=0)
    paid_fen = models.PositiveIntegerField(_("实付金额（分）"), default=0)
    pay_method = models.PositiveSmallIntegerField(
        _("支付方式"), choices=PayMethod.choices, null=True, blank=True
    )

    created_at = models.DateTimeField(_("下单时间"))
    pay_deadline = models.DateTimeField(_("支付截止时间"))
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    exp_ship_time = models.DateTimeField(_("承诺发货时间"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    auto_complete_at = models.DateTimeField(_("自动确认收货时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=100, blank=True)

    buyer_words = models.CharField(_("买家留言"), max_length=200, blank=True)
    seller_remark = models.CharField(_("商家备注"), max_length=500, blank=True)
    remark_flag = models.PositiveSmallIntegerField(
        _("旗帜"), choices=RemarkFlag.choices, null=True, blank=True
    )

    channel = models.PositiveSmallIntegerField(
        _("订单类型"), choices=Channel.choices, default=Channel.SHOP
    )
    traffic_source = models.CharField(
        _("流量来源"), max_length=10, choices=TrafficSource.choices, default=TrafficSource.OTHER
    )
    creator = models.ForeignKey(
        "shops.Creator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("达人"),
    )
    # Douyin's own ids, as in 抖店's child orders (video_id, room_id).
    video_id = models.CharField(_("视频ID"), max_length=32, blank=True)
    live_room_id = models.CharField(_("直播间ID"), max_length=32, blank=True)

    # Orders imported from a file (orders.files) keep what the source system said about
    # what xiaodian has no row for: parcels, a creator not known here, masked receivers.
    imported_tracking = models.CharField(_("快递信息（导入）"), max_length=300, blank=True)
    imported_creator_id = models.CharField(_("达人ID（导入）"), max_length=32, blank=True)
    imported_creator_name = models.CharField(_("达人昵称（导入）"), max_length=40, blank=True)
    receiver_masked = models.BooleanField(_("收件人信息为脱敏/加密值"), default=False)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "order_no"], name="order_shop_order_no_uniq"),
            # What a 子订单's (order, shop) key refers to (see OrderItem).
            models.UniqueConstraint(fields=["id", "shop"], name="order_id_shop_uniq"),
            models.CheckConstraint(
                condition=Q(paid_fen__lte=F("goods_total_fen") + F("shipping_fen")),
                name="order_paid_lte_total",
            ),
        ]
        indexes = [
            # The list's default order and keyset pagination.
            models.Index(fields=["shop", "-created_at", "-id"], name="order_shop_created_idx"),
            models.Index(
                fields=["shop", "status", "-created_at", "-id"], name="order_shop_status_idx"
            ),
            models.Index(
                fields=["shop", "receiver_province", "-created_at"],
                name="order_shop_province_idx",
            ),
            models.Index(fields=["shop", "-paid_at"], name="order_shop_paid_idx"),
            models.Index(fields=["shop", "receiver_phone"], name="order_shop_phone_idx"),
            models.Index(fields=["shop", "receiver_name"], name="order_shop_receiver_idx"),
            models.Index(fields=["shop", "creator", "-created_at"], name="order_shop_creator_idx"),
            # A live room's paid orders: the overlay's count and latest orders
            # (affiliates.live_feed).
            models.Index(
                fields=["creator", "live_room_id", "-paid_at"],
                condition=~Q(live_room_id="") & Q(paid_at__isnull=False),
                name="order_live_room_paid_idx",
            ),
            # Ship deadline filters (即将超时 / 已超时) only look at orders still to ship.
            models.Index(
                fields=["shop", "exp_ship_time"],
                condition=Q(status__in=[2, 101]),
                name="order_shop_to_ship_idx",
            ),
            # Timers: unpaid auto-cancel and auto-complete across all shops.
            models.Index(fields=["pay_deadline"], condition=Q(status=1), name="order_unpaid_idx"),
            # Open unpaid orders per client (orders.limits).
            models.Index(
                fields=["shop", "buyer_id"], condition=Q(status=1), name="order_unpaid_buyer_idx"
            ),
            models.Index(
                fields=["shop", "buyer_ip"], condition=Q(status=1), name="order_unpaid_ip_idx"
            ),
            models.Index(
                fields=["auto_complete_at"], condition=Q(status=3), name="order_to_complete_idx"
            ),
        ]

    def __str__(self):
        return self.order_no


class OrderItem(models.Model):
    """A child order (子订单): one SKU line, with snapshots of what was bought."""

    SHOP_FIELD = "shop_id"

    # In PostgreSQL one foreign key (order_id, shop_id) → orders_order (id, shop_id) stands
    # for the two single ones (migration 0014): an item cannot sit in another shop's order,
    # and a bulk write is checked once per row instead of twice.
    # No index of its own: the (shop, item_no) key and the indexes below lead with it.
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("店铺"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="items",
        db_constraint=False,
        verbose_name=_("主订单"),
    )
    item_no = models.CharField(_("子订单编号"), max_length=19)
    # Indexed below without the NULLs (see Meta.indexes).
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("商品"),
    )
    sku = models.ForeignKey(
        "products.Sku",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_items",
        db_index=False,
        verbose_name=_("SKU"),
    )
    product_title = models.CharField(_("选购商品"), max_length=60)
    spec_text = models.CharField(_("商品规格"), max_length=200, blank=True)
    outer_code = models.CharField(_("商家编码"), max_length=50, blank=True)
    image_url = models.CharField(_("商品图片"), max_length=300, blank=True)
    unit_price_fen = models.PositiveIntegerField(_("单价（分）"))
    quantity = models.PositiveIntegerField(_("商品数量"))
    paid_fen = models.PositiveIntegerField(_("实付金额（分）"))
    shipped_quantity = models.PositiveIntegerField(_("已发货数量"), default=0)
    refunded_quantity = models.PositiveIntegerField(_("已退款数量"), default=0)
    refunded_fen = models.PositiveIntegerField(_("已退款金额（分）"), default=0)
    # From an imported file: its 商品ID when no product of the shop matched, and its 售后状态.
    product_ref = models.CharField(_("商品ID（导入）"), max_length=32, blank=True)
    imported_aftersale_status = models.PositiveSmallIntegerField(
        _("售后状态（导入）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("子订单")
        verbose_name_plural = _("子订单")
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "item_no"], name="orderitem_shop_item_no_uniq"),
            models.CheckConstraint(
                condition=Q(shipped_quantity__lte=F("quantity")), name="orderitem_shipped_lte_qty"
            ),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=F("quantity")),
                name="orderitem_refunded_lte_qty",
            ),
            models.CheckConstraint(
                condition=Q(refunded_fen__lte=F("paid_fen")), name="orderitem_refund_lte_paid"
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "outer_code"], name="orderitem_shop_outer_code_idx"),
            # Only linked items: no lookup asks for a NULL link, and imported history whose
            # goods are not in the catalogue (every row of it) then costs these indexes nothing.
            models.Index(
                fields=["shop", "product"],
                name="orderitem_shop_product_idx",
                condition=Q(product__isnull=False),
            ),
            models.Index(
                fields=["product"], name="orderitem_product_idx", condition=Q(product__isnull=False)
            ),
            models.Index(fields=["sku"], name="orderitem_sku_idx", condition=Q(sku__isnull=False)),
        ]

    def __str__(self):
        return self.item_no

    @property
    def quantity_to_ship(self) -> int:
        """What is still owed to the buyer: not shipped and not refunded before shipping."""
        return max(self.quantity - self.refunded_quantity - self.shipped_quantity, 0)


class Payment(models.Model):
    """A payment confirmed by the provider's callback; its id makes callbacks idempotent."""

    SHOP_FIELD = "order__shop_id"

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("订单")
    )
    provider = models.CharField(_("支付渠道"), max_length=20)
    payment_id = models.CharField(_("支付单号"), max_length=64, unique=True)
    amount_fen = models.PositiveIntegerField(_("金额（分）"))
    pay_method = models.PositiveSmallIntegerField(_("支付方式"), choices=PayMethod.choices)
    paid_at = models.DateTimeField(_("支付时间"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("支付记录")
        verbose_name_plural = _("支付记录")
        ordering = ["-created_at"]

    def __str__(self):
        return self.payment_id
