from django.urls import reverse
from django.utils.translation import gettext as _

from .navigation import Card
from .selectors import creator_eligibility, membership_list
from .tenancy import ConsoleContext


def shop_cards(context: ConsoleContext) -> list[Card]:
    shop = context.shop
    return [
        Card(_("店铺状态"), shop.get_status_display(), tone="" if shop.status == 1 else "warn"),
        Card(
            _("店铺成员"),
            str(membership_list(context=context).count()),
            url=reverse("console:settings_members")
            if context.has_perm("shop.members_manage")
            else "",
        ),
        Card(_("承诺发货时效"), _("%(h)s 小时") % {"h": shop.ship_within_hours}),
        Card(_("未付款自动取消"), _("%(m)s 分钟") % {"m": shop.unpaid_cancel_minutes}),
    ]


def creator_cards(context: ConsoleContext) -> list[Card]:
    creator = context.creator
    eligibility = creator_eligibility(creator)
    return [
        Card(_("粉丝数"), f"{creator.followers:,}"),
        Card(_("公开原创视频"), str(creator.public_original_videos)),
        Card(
            _("购物车权限"),
            _("已开通") if creator.has_cart_permission else _("未开通"),
            hint=""
            if eligibility.eligible
            else _("%(n)s 项条件未满足") % {"n": len(eligibility.unmet)},
            tone="" if creator.has_cart_permission else "warn",
        ),
    ]
