"""Live broadcasts and their 直播购物车."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .showcase import ShowcaseItem


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class LiveSession(models.Model):
    """A live broadcast and its 直播购物车."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        "shops.Creator", on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(_("直播标题"), max_length=60)
    starts_at = models.DateTimeField(_("开播时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The credential of the order overlay (/live/<token>/feed/, affiliates.live_feed):
    # random, not derived from the id, so rotating it kills every copy of the old link.
    feed_token = models.CharField(
        _("实时订单链接令牌"), max_length=43, unique=True, default=new_feed_token, editable=False
    )

    class Meta:
        verbose_name = _("直播")
        verbose_name_plural = _("直播")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["creator", "-starts_at"], name="live_creator_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="live_ends_after_start",
                violation_error_message=_("结束时间必须晚于开播时间。"),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def phase(self) -> str:
        now = timezone.now()
        if now < self.starts_at:
            return str(_("未开播"))
        if now < self.ends_at:
            return str(_("直播中"))
        return str(_("已结束"))


class LiveItem(models.Model):
    CREATOR_FIELD = "session__creator_id"

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ShowcaseItem, on_delete=models.CASCADE, related_name="live_links")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_explaining = models.BooleanField(_("正在讲解"), default=False)
    explaining_since = models.DateTimeField(_("开始讲解"), null=True, blank=True)
    added_at = models.DateTimeField(_("上架时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("直播购物车商品")
        verbose_name_plural = _("直播购物车商品")
        ordering = ["session_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "item"],
                name="liveitem_session_item_uniq",
                violation_error_message=_("该商品已在直播购物车中。"),
            ),
            # The database itself keeps "one 正在讲解 per live", whatever the code does.
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(is_explaining=True),
                name="liveitem_one_explaining",
            ),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.item_id}"
