import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    ORDER_CREATED = "order.created", _("订单创建")
    ORDER_PAID = "order.paid", _("已支付")
    ORDER_PARTIALLY_SHIPPED = "order.partially_shipped", _("部分发货")
    ORDER_SHIPPED = "order.shipped", _("已发货")
    ORDER_COMPLETED = "order.completed", _("已完成")
    ORDER_CANCELLED = "order.cancelled", _("已取消")
    AFTERSALE_CREATED = "aftersale.created", _("售后申请")
    AFTERSALE_STATUS_CHANGED = "aftersale.status_changed", _("售后状态变化")
    AFTERSALE_REFUNDED = "aftersale.refunded", _("退款成功")


class WebhookEvent(models.Model):
    """The outbox: one event of one order, written only by the triggers in
    orders.webhooks.outbox, in the transaction of the change."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    aftersale = models.ForeignKey(
        "orders.AfterSale",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        null=True,
    )
    type = models.CharField(_("事件"), max_length=40, choices=EventType.choices)
    # pg_current_xact_id() of the changing transaction; NULL on SQLite (read by id there).
    xid = models.BigIntegerField(null=True)
    occurred_at = models.DateTimeField(_("发生时间"))

    class Meta:
        verbose_name = _("推送事件")
        verbose_name_plural = _("推送事件")
        indexes = [models.Index(fields=["xid", "id"], name="webhookevent_seq_idx")]

    def __str__(self):
        return f"{self.type} #{self.order_id}"


def _fernet() -> Fernet:
    # A key of its own derived from SECRET_KEY: rotating SECRET_KEY needs secrets re-issued.
    digest = hashlib.sha256(b"xiaodian.webhooks.secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class WebhookEndpoint(models.Model):
    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("推送地址"), max_length=500)
    events = models.JSONField(_("订阅事件"), default=list)
    # Fernet token of the signing secret: the receiver needs the secret itself to verify,
    # so it is encrypted (not hashed) and shown once, at registration.
    secret_encrypted = models.TextField()
    is_active = models.BooleanField(_("推送中"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    # True when paused by failures (人工预警), False when paused by a person.
    paused_by_failures = models.BooleanField(default=False)
    # While failing, the endpoint as a whole waits until then (exponential, capped), so an
    # outage costs one attempt per wait, not one per event.
    retry_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送地址")
        verbose_name_plural = _("推送地址")
        indexes = [models.Index(fields=["shop", "is_active"], name="webhookendpoint_shop_idx")]

    def __str__(self):
        return self.url

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = _fernet().encrypt(secret.encode()).decode()

    @property
    def secret(self) -> str:
        return _fernet().decrypt(self.secret_encrypted.encode()).decode()

    def event_labels(self) -> list[str]:
        return [str(e.label) for e in EventType if e.value in self.events]


class DeliveryStatus(models.IntegerChoices):
    PENDING = 1, _("待推送")
    DELIVERED = 2, _("已送达")
    FAILED = 3, _("已放弃")


class WebhookDelivery(models.Model):
    """One event to one endpoint. Created in (xid, id) order of the events, so for one
    endpoint and one order, id order is event order."""

    SHOP_FIELD = "endpoint__shop_id"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="+")
    order_id = models.BigIntegerField()  # the event's, so ordering needs no join
    status = models.PositiveSmallIntegerField(
        _("状态"), choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次推送"))
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhookdelivery_due_idx",
                condition=models.Q(status=1),
            ),
            models.Index(
                fields=["endpoint", "order_id", "id"],
                name="webhookdelivery_order_idx",
                condition=models.Q(status=1),
            ),
            models.Index(fields=["endpoint", "-id"], name="webhookdelivery_log_idx"),
            models.Index(
                fields=["endpoint", "id"],
                name="webhookdelivery_pending_idx",
                condition=models.Q(status=1),
            ),
        ]

    def __str__(self):
        return f"{self.event_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request to an endpoint: a delivery's attempt, or a 测试推送 (no delivery)."""

    SHOP_FIELD = "endpoint__shop_id"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_set", null=True
    )
    at = models.DateTimeField(_("时间"))
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True)
    latency_ms = models.PositiveIntegerField(_("耗时（毫秒）"))
    response_head = models.CharField(_("响应开头"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("推送尝试")
        verbose_name_plural = _("推送尝试")
        indexes = [models.Index(fields=["endpoint", "-at"], name="webhookattempt_log_idx")]

    def __str__(self):
        return f"{self.endpoint_id}@{self.at:%Y-%m-%d %H:%M:%S} {self.status_code}"

    @property
    def ok(self) -> bool:
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300


class WebhookCursor(models.Model):
    """Where fan-out has read the outbox up to (one row, locked FOR UPDATE while fanning
    out, so two dispatchers never fan an event out twice)."""

    xid = models.BigIntegerField(default=-1)
    event_id = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.xid}.{self.event_id}"
