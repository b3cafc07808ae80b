"""Money: the commission ledger (精选联盟 and the external unions), withdrawals (提现) and
the shop's per-order settlement (资金).

A `Commission` is one attributed child order (or one line of a union's report) and
carries its state; its money is only ever in `LedgerEntry` rows, which are append-only
(a PostgreSQL trigger refuses UPDATE and DELETE). Every balance is a sum of entries.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shops.fields import actor_field


class IncomeSource(models.TextChoices):
    JINGXUAN = "jingxuan", _("精选联盟")
    TAOBAO = "taobao", _("淘宝联盟")
    JD = "jd", _("京东联盟")


# Income xiaodian pays out itself; the unions' income is withdrawn on their side.
WITHDRAWABLE_SOURCES = (IncomeSource.JINGXUAN,)


class CommissionState(models.IntegerChoices):
    ESTIMATED = 1, _("预估")
    PENDING = 2, _("待结算")
    SETTLED = 3, _("已结算")
    INVALID = 4, _("已失效")


class Bucket(models.TextChoices):
    """Where an entry's money sits. A state change moves money between buckets with a
    pair of entries (minus here, plus there), so each bucket's balance is a plain sum."""

    ESTIMATED = "estimated", _("预估")
    PENDING = "pending", _("待结算")
    SETTLED = "settled", _("已结算")
    INVALID = "invalid", _("已失效")
    # Settled money held by a withdrawal under review, and money paid out.
    WITHDRAWING = "withdrawing", _("提现中")
    WITHDRAWN = "withdrawn", _("已提现")


STATE_BUCKET = {
    CommissionState.ESTIMATED: Bucket.ESTIMATED,
    CommissionState.PENDING: Bucket.PENDING,
    CommissionState.SETTLED: Bucket.SETTLED,
    CommissionState.INVALID: Bucket.INVALID,
}


class IncomeState(models.TextChoices):
    """The income totals a creator sees, each a sum over buckets (`selectors.ENTRY_STATES`);
    the entry list filters by the same states."""

    ESTIMATED = "estimated", _("预估")
    PENDING = "pending", _("待结算")
    SETTLED = "settled", _("已结算")
    INVALID = "invalid", _("已失效")
    WITHDRAWABLE = "withdrawable", _("可提现")


class EntryKind(models.TextChoices):
    ESTIMATE = "estimate", _("下单预估")
    ADJUST = "adjust", _("部分退款调整")
    CONFIRM = "confirm", _("确认收货，转待结算")
    SETTLE = "settle", _("结算")
    INVALIDATE = "invalidate", _("订单失效")
    CLAWBACK = "clawback", _("结算后退款扣回")
    WITHDRAW_HOLD = "withdraw_hold", _("提现申请")
    WITHDRAW_RELEASE = "withdraw_release", _("提现驳回退回")
    WITHDRAW_PAID = "withdraw_paid", _("提现已打款")
    IMPORT = "import", _("联盟报表导入")


class Commission(models.Model):
    """One commission: a 精选联盟 child order of an attributed creator, or a row of a
    淘宝联盟 / 京东联盟 report (`external_order_no`). Its amounts are its entries."""

    CREATOR_FIELD = "creator_id"
    SHOP_FIELD = "shop_id"

    creator = models.ForeignKey(
        "shops.Creator",
        on_delete=models.PROTECT,
        related_name="commissions",
        verbose_name=_("达人"),
    )
    source = models.CharField(_("来源"), max_length=10, choices=IncomeSource.choices)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("店铺"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("订单"),
    )
    order_item = models.OneToOneField(
        "orders.OrderItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("子订单"),
    )
    # 主订单编号 / 子订单编号 as shown and filtered (the union's ids for external rows).
    order_no = models.CharField(_("订单编号"), max_length=40)
    external_order_no = models.CharField(_("子订单编号"), max_length=40, blank=True)
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("商品"),
    )
    product_title = models.CharField(_("商品"), max_length=200)
    rate_bp = models.PositiveIntegerField(_("佣金率（万分比）"))
    fee_rate_bp = models.PositiveIntegerField(_("技术服务费率（万分比）"))
    state = models.PositiveSmallIntegerField(
        _("状态"), choices=CommissionState.choices, default=CommissionState.ESTIMATED
    )
    ordered_at = models.DateTimeField(_("下单时间"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    settle_due_at = models.DateTimeField(_("预计结算时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佣金")
        verbose_name_plural = _("佣金")
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "source", "external_order_no"],
                condition=~Q(source="jingxuan"),
                name="commission_external_uniq",
            ),
            models.CheckConstraint(
                condition=Q(source="jingxuan", order_item__isnull=False)
                | (~Q(source="jingxuan") & ~Q(external_order_no="")),
                name="commission_has_origin",
            ),
        ]
        indexes = [
            models.Index(fields=["creator", "-ordered_at"], name="commission_creator_idx"),
            models.Index(fields=["order"], name="commission_order_idx"),
            # The settlement job's queue.
            models.Index(fields=["settle_due_at"], condition=Q(state=2), name="commission_due_idx"),
        ]

    def __str__(self):
        return f"{self.order_no} · {self.get_state_display()}"

    @classmethod
    def of_order_item(cls, order, item, *, rate_bp: int, fee_rate_bp: int) -> "Commission":
        """An unsaved 精选联盟 commission on a child order. It keeps the order's numbers,
        product and time, as an imported union commission (which has no order) does."""
        return cls(
            creator_id=order.creator_id,
            source=IncomeSource.JINGXUAN,
            shop_id=order.shop_id,
            order=order,
            order_item=item,
            order_no=order.order_no,
            external_order_no=item.item_no,
            product_id=item.product_id,
            product_title=item.product_title,
            rate_bp=rate_bp,
            fee_rate_bp=fee_rate_bp,
            ordered_at=order.created_at,
        )


class WithdrawalStatus(models.IntegerChoices):
    REVIEWING = 1, _("审核中")
    PAID = 2, _("已打款")
    REJECTED = 3, _("已驳回")


class Withdrawal(models.Model):
    """A creator's 提现 request. The amount is held by ledger entries from the moment it
    is asked for; paying or rejecting it is another pair of entries."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        "shops.Creator",
        on_delete=models.PROTECT,
        related_name="withdrawals",
        verbose_name=_("达人"),
    )
    amount_fen = models.PositiveIntegerField(_("金额（分）"))
    account = models.CharField(_("收款账户"), max_length=60)
    status = models.PositiveSmallIntegerField(
        _("状态"), choices=WithdrawalStatus.choices, default=WithdrawalStatus.REVIEWING
    )
    reject_reason = models.CharField(_("驳回原因"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = actor_field(_("处理人"))

    class Meta:
        verbose_name = _("提现")
        verbose_name_plural = _("提现")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="withdrawal_amount_positive")
        ]
        indexes = [
            models.Index(fields=["creator", "-requested_at"], name="withdrawal_creator_idx"),
            models.Index(fields=["status", "requested_at"], name="withdrawal_status_idx"),
        ]

    def __str__(self):
        return f"{self.creator_id} · {self.amount_fen} · {self.get_status_display()}"


class LedgerEntry(models.Model):
    """One append-only line of a creator's money. `commission_fen = net_fen + fee_fen`
    on every row (a check constraint), so the sums reconcile to the fen."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        "shops.Creator", on_delete=models.PROTECT, related_name="+", verbose_name=_("达人")
    )
    source = models.CharField(_("来源"), max_length=10, choices=IncomeSource.choices)
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("佣金"),
    )
    withdrawal = models.ForeignKey(
        Withdrawal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("提现"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices)
    bucket = models.CharField(_("账户"), max_length=12, choices=Bucket.choices)
    base_fen = models.BigIntegerField(_("计佣金额（分）"), default=0)
    commission_fen = models.BigIntegerField(_("佣金（分）"))
    fee_fen = models.BigIntegerField(_("技术服务费（分）"), default=0)
    net_fen = models.BigIntegerField(_("达人收入（分）"))
    # Denormalised from the commission (or the withdrawal), for the period filters.
    ordered_at = models.DateTimeField(_("下单时间"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = actor_field()
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账单明细")
        verbose_name_plural = _("账单明细")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_fen=F("net_fen") + F("fee_fen")),
                name="ledgerentry_reconciles",
            ),
            models.CheckConstraint(
                condition=Q(commission__isnull=False) | Q(withdrawal__isnull=False),
                name="ledgerentry_has_origin",
            ),
        ]
        indexes = [
            models.Index(
                fields=["creator", "-created_at", "-id"], name="ledger_creator_created_idx"
            ),
            models.Index(fields=["creator", "bucket", "source"], name="ledger_creator_bucket_idx"),
            models.Index(fields=["creator", "ordered_at"], name="ledger_creator_ordered_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.net_fen}"


class PlatformFeeRate(models.Model):
    """The platform service fee (平台服务费) a shop pays on goods of a first-level category.
    Categories without a row pay PLATFORM_SERVICE_FEE_DEFAULT_BP. Edited in /admin/."""

    category = models.OneToOneField(
        "products.Category",
        on_delete=models.CASCADE,
        limit_choices_to={"parent__isnull": True},
        related_name="+",
        verbose_name=_("一级类目"),
    )
    rate_bp = models.PositiveIntegerField(_("费率（万分比）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("平台服务费率")
        verbose_name_plural = _("平台服务费率")
        ordering = ["category_id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate_bp__lte=10000), name="platformfee_rate_range")
        ]

    def __str__(self):
        return f"{self.category} · {self.rate_bp / 100:g}%"


class SettlementState(models.IntegerChoices):
    PENDING = 1, _("待结算")
    SETTLED = 2, _("已结算")
    CLOSED = 3, _("已关闭")


class ShopSettlement(models.Model):
    """What one paid order brings the shop (资金): the breakdown follows the order until it
    settles; a refund after settlement is recorded in `refund_after_settle_fen`."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, related_name="+", verbose_name=_("店铺")
    )
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="+", verbose_name=_("订单")
    )
    order_no = models.CharField(_("主订单编号"), max_length=19)
    state = models.PositiveSmallIntegerField(
        _("结算状态"), choices=SettlementState.choices, default=SettlementState.PENDING
    )
    goods_fen = models.BigIntegerField(_("商品实付（分）"), default=0)
    shipping_fen = models.BigIntegerField(_("运费（分）"), default=0)
    platform_fee_fen = models.BigIntegerField(_("平台服务费（分）"), default=0)
    commission_fen = models.BigIntegerField(_("达人佣金（分）"), default=0)
    refund_fen = models.BigIntegerField(_("退款（分）"), default=0)
    refund_after_settle_fen = models.BigIntegerField(_("结算后退款（分）"), default=0)
    settle_fen = models.BigIntegerField(_("结算金额（分）"), default=0)
    paid_at = models.DateTimeField(_("支付时间"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    settle_due_at = models.DateTimeField(_("预计结算时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("订单结算")
        verbose_name_plural = _("订单结算")
        ordering = ["-paid_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "-paid_at", "-id"], name="settlement_shop_paid_idx"),
            models.Index(fields=["shop", "state", "-paid_at"], name="settlement_shop_state_idx"),
            models.Index(fields=["settle_due_at"], condition=Q(state=1), name="settlement_due_idx"),
        ]

    def __str__(self):
        return f"{self.order_no} · {self.get_state_display()}"
