"""Carriers, parcels (包裹) and what they carry, tracking, batch shipping and prints."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Coded
from shops.fields import actor_field

from . import messages


class Carrier(models.Model):
    """A 快递公司. Codes follow 抖店's logistics company codes (shunfeng, zhongtong …);
    the tracking-number pattern and aliases are data an operator edits in /admin/."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    # Other names merchants type in spreadsheets: 中通快递, ZTO, zhongtong …
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    tracking_pattern = models.CharField(
        _("运单号规则（正则）"), max_length=200, help_text=_("完整匹配，例如 ^SF\\d{12,15}$")
    )
    # Shown when a number does not match: merchants understand an example, not a regex.
    tracking_example = models.CharField(_("运单号示例"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("快递公司")
        verbose_name_plural = _("快递公司")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class TrackingStatus(models.TextChoices):
    COLLECTED = "collected", _("已揽收")
    IN_TRANSIT = "in_transit", _("运输中")
    DELIVERING = "delivering", _("派送中")
    SIGNED = "signed", _("已签收")
    EXCEPTION = "exception", _("异常")


class Shipment(models.Model):
    """A parcel: one tracking number, carrying quantities of one or more child orders
    (several orders only when they share a receiver: 合单)."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, related_name="shipments", verbose_name=_("店铺")
    )
    carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="shipments", verbose_name=_("快递公司")
    )
    tracking_no = models.CharField(_("快递单号"), max_length=40)
    # Set for the exchange parcel of a 换货 after-sale.
    aftersale = models.ForeignKey(
        "orders.AfterSale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("换货售后单"),
    )
    shipped_at = models.DateTimeField(_("发货时间"))
    shipped_by = actor_field(_("发货人"))
    batch = models.ForeignKey(
        "ShipBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shipments",
        verbose_name=_("批量发货任务"),
    )
    # Latest tracking state, kept with each TrackingEvent for the list filters.
    tracking_status = models.CharField(
        _("物流状态"), max_length=12, choices=TrackingStatus.choices, blank=True, default=""
    )
    first_scan_at = models.DateTimeField(_("揽收时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    printed_at = models.DateTimeField(_("打印时间"), null=True, blank=True)
    print_count = models.PositiveIntegerField(_("打印次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("包裹")
        verbose_name_plural = _("包裹")
        ordering = ["-shipped_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "tracking_no"], name="shipment_shop_tracking_idx"),
            models.Index(fields=["tracking_no"], name="shipment_tracking_idx"),
            models.Index(fields=["shop", "-shipped_at"], name="shipment_shop_shipped_idx"),
            # 无揽收记录: parcels still without a first scan.
            models.Index(
                fields=["shop", "shipped_at"],
                condition=Q(first_scan_at__isnull=True),
                name="shipment_no_scan_idx",
            ),
        ]

    def __str__(self):
        return f"{self.carrier} {self.tracking_no}"


class ParcelNumber(models.Model):
    """Which shop holds a (carrier, tracking number): one parcel on the whole platform.

    Claimed by `shipments_create` before its parcels are written; the unique constraint
    makes two shops racing for one number wait for each other, and the second is
    refused. The same shop may reuse its own number (several orders in one box)."""

    SHOP_FIELD = "shop_id"

    carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="+", verbose_name=_("快递公司")
    )
    tracking_no = models.CharField(_("快递单号"), max_length=40)
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("店铺")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("运单号登记")
        verbose_name_plural = _("运单号登记")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "tracking_no"], name="parcelnumber_carrier_no_uniq"
            )
        ]

    def __str__(self):
        return f"{self.carrier_id} {self.tracking_no}"


class ShipmentLine(models.Model):
    SHOP_FIELD = "shipment__shop_id"

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("包裹")
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="shipment_lines",
        verbose_name=_("订单"),
    )
    item = models.ForeignKey(
        "orders.OrderItem",
        on_delete=models.PROTECT,
        related_name="shipment_lines",
        verbose_name=_("子订单"),
    )
    quantity = models.PositiveIntegerField(_("发货数量"))

    class Meta:
        verbose_name = _("包裹明细")
        verbose_name_plural = _("包裹明细")
        ordering = ["shipment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "item"], name="shipmentline_item_uniq"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipmentline_qty_gt_0"),
        ]
        indexes = [models.Index(fields=["order"], name="shipmentline_order_idx")]

    def __str__(self):
        return f"{self.item_id} × {self.quantity}"


class TrackingNoCorrection(models.Model):
    """A tracking number corrected within 24 hours of shipping: who, when, old → new."""

    SHOP_FIELD = "shipment__shop_id"

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("包裹")
    )
    old_carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="+", verbose_name=_("原快递公司")
    )
    old_tracking_no = models.CharField(_("原快递单号"), max_length=40)
    new_carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="+", verbose_name=_("新快递公司")
    )
    new_tracking_no = models.CharField(_("新快递单号"), max_length=40)
    actor = actor_field(_("操作人"))
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("运单号修改记录")
        verbose_name_plural = _("运单号修改记录")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_tracking_no} → {self.new_tracking_no}"


class TrackingEvent(models.Model):
    SHOP_FIELD = "shipment__shop_id"

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="tracking_events", verbose_name=_("包裹")
    )
    occurred_at = models.DateTimeField(_("时间"))
    location = models.CharField(_("地点"), max_length=60, blank=True)
    description = models.CharField(_("描述"), max_length=300)
    status = models.CharField(_("状态"), max_length=12, choices=TrackingStatus.choices)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("物流轨迹")
        verbose_name_plural = _("物流轨迹")
        ordering = ["shipment_id", "occurred_at", "id"]
        constraints = [
            # The same push twice is stored once.
            models.UniqueConstraint(
                fields=["shipment", "occurred_at", "status", "description"],
                name="trackingevent_dedup_uniq",
            ),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.description}"


class ShipBatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("发货中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ShipBatch(models.Model):
    """One uploaded batch-ship file (批量发货): preview, then confirm, with progress."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="ship_batches", verbose_name=_("店铺")
    )
    created_by = actor_field(_("上传人"))
    file_name = models.CharField(_("文件名"), max_length=200)
    # sha256 of the uploaded bytes: uploading the same file again is recognised.
    file_sha256 = models.CharField(_("文件摘要"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=10, choices=ShipBatchStatus.choices, default=ShipBatchStatus.PREVIEWED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    shipped_rows = models.PositiveIntegerField(_("发货成功"), default=0)
    failed_rows = models.PositiveIntegerField(_("失败"), default=0)
    skipped_rows = models.PositiveIntegerField(_("已发过"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量发货任务")
        verbose_name_plural = _("批量发货任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "-created_at"], name="shipbatch_shop_created_idx")]

    def __str__(self):
        return self.file_name


class ShipBatchRowResult(models.TextChoices):
    READY = "ready", _("可发货")
    INVALID = "invalid", _("不可发货")
    SHIPPED = "shipped", _("已发货")
    ALREADY_SHIPPED = "already", _("已发过，未重复发货")
    FAILED = "failed", _("发货失败")


class ShipBatchRow(Coded):
    """One row of a batch file and what became of it. What it says is a code and its
    parameters (`logistics.messages`), shown as `text` in the reader's language; `note`
    keeps words no code says (a refusal of the shipping service, rows older than codes)."""

    SHOP_FIELD = "batch__shop_id"
    MESSAGES = messages.MESSAGES
    LABELS = messages.LABELS

    batch = models.ForeignKey(
        ShipBatch, on_delete=models.CASCADE, related_name="rows", verbose_name=_("批量发货任务")
    )
    row_number = models.PositiveIntegerField(_("行号"))
    order_no = models.CharField(_("订单号"), max_length=40, blank=True)
    item_no = models.CharField(_("子订单编号"), max_length=40, blank=True)
    carrier_text = models.CharField(_("快递公司"), max_length=60, blank=True)
    tracking_no = models.CharField(_("快递单号"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("发货数量"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=ShipBatchRowResult.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    shipment = models.ForeignKey(
        Shipment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("批量发货明细")
        verbose_name_plural = _("批量发货明细")
        ordering = ["batch_id", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="shipbatchrow_row_uniq")
        ]

    def __str__(self):
        return f"{self.batch_id}#{self.row_number}"


class PrintRecord(models.Model):
    """Printing receivers' full addresses is a permission, and every print is logged."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("店铺")
    )
    actor = actor_field(_("操作人"))
    shipments = models.ManyToManyField(
        Shipment, related_name="print_records", verbose_name=_("包裹")
    )
    page_count = models.PositiveIntegerField(_("页数"))
    created_at = models.DateTimeField(_("打印时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("打印记录")
        verbose_name_plural = _("打印记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "-created_at"], name="printrecord_shop_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.page_count})"
