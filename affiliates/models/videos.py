"""Short videos and their 视频购物车."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .showcase import ShowcaseItem

VIDEO_MAX_ITEMS = 7


class Video(models.Model):
    """A published short video and its 视频购物车 (at most VIDEO_MAX_ITEMS items)."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey("shops.Creator", on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("视频标题"), max_length=60)
    douyin_video_id = models.CharField(_("抖音视频ID"), max_length=32)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("视频")
        verbose_name_plural = _("视频")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["creator", "-published_at"], name="video_creator_published_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "douyin_video_id"],
                name="video_creator_douyin_id_uniq",
                violation_error_message=_("该抖音视频ID已添加。"),
            )
        ]

    def __str__(self):
        return self.title


class VideoItem(models.Model):
    CREATOR_FIELD = "video__creator_id"

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ShowcaseItem, on_delete=models.CASCADE, related_name="video_links")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    added_at = models.DateTimeField(_("挂车时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("视频购物车商品")
        verbose_name_plural = _("视频购物车商品")
        ordering = ["video_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["video", "item"],
                name="videoitem_video_item_uniq",
                violation_error_message=_("该商品已挂在这个视频上。"),
            )
        ]

    def __str__(self):
        return f"{self.video_id} · {self.item_id}"
