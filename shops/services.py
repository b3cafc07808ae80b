from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import MembershipError
from .models import Creator, Membership, Shop
from .roles import Perm, Role
from .selectors import Eligibility, creator_eligibility
from .tenancy import ConsoleContext

SHOP_SETTINGS_FIELDS = (
    "name",
    "status",
    "return_contact",
    "return_phone",
    "return_province",
    "return_city",
    "return_district",
    "return_detail",
    "unpaid_cancel_minutes",
    "auto_confirm_days",
    "ship_within_hours",
)

CREATOR_PROFILE_FIELDS = (
    "nickname",
    "followers",
    "public_original_videos",
    "phone_bound",
    "real_name_verified",
)


@transaction.atomic
def shop_create(*, name: str, slug: str, owner, **fields) -> Shop:
    shop = Shop(name=name, slug=slug, **fields)
    shop.full_clean()
    shop.save()
    membership = Membership(user=owner, shop=shop, role=Role.OWNER)
    membership.full_clean()
    membership.save()
    return shop


@transaction.atomic
def shop_update_settings(*, context: ConsoleContext, data: dict) -> Shop:
    context.require_perm(Perm.SHOP_SETTINGS_EDIT)
    shop = Shop.objects.select_for_update().get(pk=context.shop.pk)
    for name, value in data.items():
        if name in SHOP_SETTINGS_FIELDS:
            setattr(shop, name, value)
    shop.full_clean()
    shop.save()
    return shop


@transaction.atomic
def member_add(*, context: ConsoleContext, username: str, role: str) -> Membership:
    context.require_perm(Perm.MEMBERS_MANAGE)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise MembershipError(
            _("找不到用户“%(username)s”。") % {"username": username},
            fields={"username": [_("用户不存在。")]},
        )
    if Membership.objects.filter(shop=context.shop, user=user).exists():
        raise MembershipError(
            _("“%(username)s”已是本店成员。") % {"username": username},
            fields={"username": [_("已是本店成员。")]},
        )
    membership = Membership(shop=context.shop, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


def _lock_members(context: ConsoleContext, membership_id: int) -> tuple[list, Membership]:
    """Lock every membership of the shop (pk order), so two owners demoting each other
    at once cannot leave the shop without an owner; the one asked for, or 404."""
    members = list(
        Membership.objects.select_for_update().filter(shop_id=context.shop.pk).order_by("pk")
    )
    membership = next((m for m in members if m.pk == membership_id), None)
    if membership is None:
        raise Http404
    return members, membership


def _ensure_owner_remains(members: list[Membership], changed: Membership, new_role) -> None:
    owners_after = sum(
        1 for m in members if (new_role if m.pk == changed.pk else m.role) == Role.OWNER
    )
    if owners_after == 0:
        raise MembershipError(_("店铺至少需要一位店主。"))


@transaction.atomic
def member_change_role(*, context: ConsoleContext, membership_id: int, role: str) -> Membership:
    context.require_perm(Perm.MEMBERS_MANAGE)
    members, membership = _lock_members(context, membership_id)
    _ensure_owner_remains(members, membership, role)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, context: ConsoleContext, membership_id: int) -> None:
    context.require_perm(Perm.MEMBERS_MANAGE)
    members, membership = _lock_members(context, membership_id)
    _ensure_owner_remains(members, membership, None)
    membership.delete()


@transaction.atomic
def creator_create(*, user, nickname: str, douyin_id: str, **profile) -> Creator:
    creator = Creator(user=user, nickname=nickname, douyin_id=douyin_id, **profile)
    creator.full_clean()
    creator.save()
    creator_check_eligibility(creator=creator)
    return creator


@transaction.atomic
def creator_update_profile(*, creator: Creator, data: dict) -> Creator:
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    for name, value in data.items():
        if name in CREATOR_PROFILE_FIELDS:
            setattr(creator, name, value)
    creator.full_clean()
    creator.save()
    return creator


@transaction.atomic
def creator_check_eligibility(*, creator: Creator) -> Eligibility:
    """Re-check the cart threshold and grant or withdraw the permission accordingly."""
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    result = creator_eligibility(creator)
    now = timezone.now()
    if result.eligible and creator.cart_permission_granted_at is None:
        creator.cart_permission_granted_at = now
    elif not result.eligible:
        creator.cart_permission_granted_at = None
    creator.eligibility_checked_at = now
    creator.save(update_fields=["cart_permission_granted_at", "eligibility_checked_at"])
    return result
