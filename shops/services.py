from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import acting_user
from core.exceptions import clean_or_raise

from .accounts import ACCOUNT_FACT_FIELDS, get_account_client
from .exceptions import CreatorAccountUnknown, MembershipError
from .models import AccountChangeSource, Creator, CreatorAccountChange, Membership, Shop
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

# What a creator edits about themselves: presentation only. The account facts that
# decide the cart permission (accounts.ACCOUNT_FACT_FIELDS) come from Douyin.
CREATOR_PROFILE_FIELDS = ("nickname",)


def _update_row(model, pk: int, data: dict, editable: tuple[str, ...]):
    """Lock the row, copy the `editable` keys of `data` onto it (others are ignored),
    validate and save it."""
    row = model.objects.select_for_update().get(pk=pk)
    for name, value in data.items():
        if name in editable:
            setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


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
    return _update_row(Shop, context.shop.pk, data, SHOP_SETTINGS_FIELDS)


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
    return _update_row(Creator, creator.pk, data, CREATOR_PROFILE_FIELDS)


@transaction.atomic
def creator_set_account_facts(
    *, creator: Creator, facts: dict, source: str, changed_by=None
) -> Creator:
    """Write Douyin account facts (only those fields), logging one CreatorAccountChange
    per field that changed: by the account client (`source` SYNC) or platform staff
    (STAFF, `changed_by`). Does not re-check the cart permission."""
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    changes = []
    for name in ACCOUNT_FACT_FIELDS:
        if name not in facts or facts[name] == getattr(creator, name):
            continue
        changes.append(
            CreatorAccountChange(
                creator=creator,
                field=name,
                old_value=str(getattr(creator, name)),
                new_value=str(facts[name]),
                source=source,
                changed_by=acting_user(changed_by),
            )
        )
        setattr(creator, name, facts[name])
    clean_or_raise(creator)
    if changes:
        creator.save(update_fields=[change.field for change in changes])
        CreatorAccountChange.objects.bulk_create(changes)
    return creator


@transaction.atomic
def creator_refresh_account(*, creator: Creator) -> Eligibility:
    """重新检测: fetch the account facts from Douyin (CREATOR_ACCOUNT_CLIENT), then
    re-check the cart permission against them."""
    facts = get_account_client().account_facts(creator.douyin_id)
    if facts is None:
        raise CreatorAccountUnknown(
            _("查询不到抖音号“%(douyin_id)s”，请稍后再试。") % {"douyin_id": creator.douyin_id}
        )
    creator_set_account_facts(
        creator=creator, facts=facts.as_dict(), source=AccountChangeSource.SYNC
    )
    return creator_check_eligibility(creator=creator)


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
