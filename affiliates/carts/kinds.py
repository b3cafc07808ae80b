"""A cart is a creator's row (a `Video`, a `LiveSession`) holding link rows (`VideoItem`,
`LiveItem`) to showcase items. What every cart does is written once against `Cart`; a
kind says only what differs: a video's 7-item limit, a live's 正在讲解 (its services in
`affiliates.carts.services`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..exceptions import VideoCartFull
from ..models import VIDEO_MAX_ITEMS, LiveItem, LiveSession, Video, VideoItem

# What each kind of cart says, by message, the kinds side by side (by `Cart.name`).
TEXT = {
    "already_in": {
        "videos": _("“%(title)s”已挂在这个视频上。"),
        "lives": _("“%(title)s”已在直播购物车中。"),
    },
    "already_in_short": {"videos": _("已挂车。"), "lives": _("已在直播购物车中。")},
    "created": {
        "videos": _("视频已添加，可以挂车了。"),
        "lives": _("直播已创建，从橱窗挑选商品上架吧。"),
    },
    "added": {"videos": _("已挂车。"), "lives": _("已加入直播购物车。")},
    "removed": {"videos": _("已从视频购物车移除。"), "lives": _("已从直播购物车移除。")},
    "deleted": {"videos": _("视频已删除。"), "lives": _("直播已删除。")},
}


class Cart:
    model: type  # the cart row, locked while its items change
    link_model: type  # one row per item in the cart
    link_field: str  # the link's foreign key to the cart row
    id_kwarg: str  # the cart id's name in URLs and service calls
    limit: int | None = None
    name: str  # URL names: "<name>", "<name>_detail", "<name>_delete"
    remove_name: str  # the URL name of taking an item out
    template_prefix: str  # affiliates/<prefix>_detail.html; the list is affiliates/<name>.html

    def __init__(self):
        # URL names, for views and templates ({% url cart.detail_url row.pk %}).
        self.list_url = f"affiliates:{self.name}"
        self.detail_url = f"affiliates:{self.name}_detail"
        self.delete_url = f"affiliates:{self.name}_delete"
        self.remove_url = f"affiliates:{self.remove_name}"

    def says(self, message: str) -> str:
        """This kind's wording of a TEXT message."""
        return TEXT[message][self.name]

    def links(self, row):
        return self.link_model.objects.filter(**{self.link_field: row})

    def prepare(self, fields: dict) -> dict:
        """The fields of a new cart row, as typed; a kind may normalise them."""
        return fields

    def check_room(self, row, count: int) -> None:
        """Refuse one more item when the cart holds `count`; no limit by default."""


class VideoCart(Cart):
    """视频购物车: at most VIDEO_MAX_ITEMS items."""

    model, link_model, link_field, id_kwarg = Video, VideoItem, "video", "video_id"
    limit = VIDEO_MAX_ITEMS
    name, remove_name, template_prefix = "videos", "videos_detach", "video"

    def prepare(self, fields: dict) -> dict:
        return {
            **fields,
            "douyin_video_id": fields["douyin_video_id"].strip(),
            "published_at": fields.get("published_at") or timezone.now(),
        }

    def check_room(self, row, count: int) -> None:
        if count >= self.limit:
            raise VideoCartFull(
                _("每个视频最多挂 %(max)s 件商品，“%(video)s”已挂满，请先移除一件。")
                % {"max": self.limit, "video": row.title},
                fields={"item": [_("视频购物车已满。")]},
            )


class LiveCart(Cart):
    """直播购物车: no limit; one item at a time is 正在讲解 (the partial unique constraint
    `liveitem_one_explaining` backs the row lock up)."""

    model, link_model, link_field, id_kwarg = LiveSession, LiveItem, "session", "session_id"
    name, remove_name, template_prefix = "lives", "lives_remove", "live"


VIDEO_CART = VideoCart()
LIVE_CART = LiveCart()
