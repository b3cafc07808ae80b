from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Creator, Membership
from .tenancy import ConsoleContext, scope

CART_MIN_FOLLOWERS = 1000
CART_MIN_PUBLIC_VIDEOS = 10


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    unmet: list[str]


def creator_eligibility(creator: Creator) -> Eligibility:
    """商品分享 (cart) permission: every unmet condition, in words."""
    unmet = []
    if creator.followers < CART_MIN_FOLLOWERS:
        unmet.append(
            _("粉丝数需达到 %(need)s，当前 %(have)s。")
            % {"need": f"{CART_MIN_FOLLOWERS:,}", "have": f"{creator.followers:,}"}
        )
    if creator.public_original_videos < CART_MIN_PUBLIC_VIDEOS:
        unmet.append(
            _("公开且原创的视频需达到 %(need)s 条，当前 %(have)s 条。")
            % {"need": CART_MIN_PUBLIC_VIDEOS, "have": creator.public_original_videos}
        )
    if not creator.phone_bound:
        unmet.append(_("账号需绑定手机号。"))
    if not creator.real_name_verified:
        unmet.append(_("账号需完成实名认证。"))
    return Eligibility(eligible=not unmet, unmet=unmet)


def membership_list(*, context: ConsoleContext):
    return scope(Membership.objects.select_related("user"), context).order_by("id")
