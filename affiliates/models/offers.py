"""精选联盟: the offers shops open to creators, their rate history and status events."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Event
from products.models import ProductStatus
from shops.fields import actor_field

MIN_RATE_BP = 100  # 1%
MAX_RATE_BP = 9000  # 90%

rate_validators = [
    MinValueValidator(MIN_RATE_BP, _("佣金率不能低于 1%%。")),
    MaxValueValidator(MAX_RATE_BP, _("佣金率不能高于 90%%。")),
]


class OfferStatus(models.IntegerChoices):
    OPEN = 1, _("推广中")
    CLOSED = 2, _("已关闭")


class AllianceOffer(models.Model):
    """A product a shop opened to 精选联盟 creators for a commission."""

    SHOP_FIELD = "shop_id"

    # Denormalised from product: merchant lists filter by shop without a join.
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="alliance_offers")
    product = models.OneToOneField(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="alliance_offer",
        verbose_name=_("商品"),
    )
    # The rate for new orders; the history is in AllianceRate.
    rate_bp = models.PositiveIntegerField(_("佣金率（万分比）"), validators=rate_validators)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("状态"), choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    opened_at = models.DateTimeField(_("开放时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("精选联盟商品")
        verbose_name_plural = _("精选联盟商品")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "status"], name="offer_shop_status_idx"),
            models.Index(fields=["status", "-rate_bp"], name="offer_status_rate_idx"),
            models.Index(fields=["status", "-opened_at"], name="offer_status_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_bp__gte=MIN_RATE_BP) & Q(rate_bp__lte=MAX_RATE_BP),
                name="offer_rate_bp_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="offer_dates_order",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.rate_bp / 100:g}%"

    def is_active(self, today=None) -> bool:
        """Creators can pick it now: open, within its dates, product on sale."""
        today = today or timezone.localdate()
        return (
            self.status == OfferStatus.OPEN
            and (self.starts_on is None or self.starts_on <= today)
            and (self.ends_on is None or self.ends_on >= today)
            and self.product.status == ProductStatus.ON_SALE
        )


class AllianceRate(models.Model):
    """The offer's rate from `effective_from` on: a change applies to orders placed after
    it, so the rate of an order is the latest row at or before its time."""

    SHOP_FIELD = "offer__shop_id"

    offer = models.ForeignKey(AllianceOffer, on_delete=models.CASCADE, related_name="rates")
    rate_bp = models.PositiveIntegerField(_("佣金率（万分比）"), validators=rate_validators)
    effective_from = models.DateTimeField(_("生效时间"), default=timezone.now)
    set_by = actor_field(_("操作人"))

    class Meta:
        verbose_name = _("佣金率记录")
        verbose_name_plural = _("佣金率记录")
        ordering = ["offer_id", "-effective_from", "-id"]
        indexes = [
            models.Index(fields=["offer", "-effective_from"], name="alliancerate_offer_from_idx"),
        ]

    def __str__(self):
        return f"{self.rate_bp / 100:g}% @ {self.effective_from:%Y-%m-%d %H:%M}"


class AllianceOfferEvent(Event):
    """Who opened, closed or reopened an offer, and when."""

    SHOP_FIELD = "offer__shop_id"

    offer = models.ForeignKey(AllianceOffer, on_delete=models.CASCADE, related_name="events")
    from_status = models.PositiveSmallIntegerField(
        _("原状态"), choices=OfferStatus.choices, null=True, blank=True
    )
    to_status = models.PositiveSmallIntegerField(_("新状态"), choices=OfferStatus.choices)

    class Meta:
        verbose_name = _("精选联盟状态记录")
        verbose_name_plural = _("精选联盟状态记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
