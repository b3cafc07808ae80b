"""Errors of shops and memberships (the shared contract is `core.exceptions`)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class MembershipError(DomainError):
    code = "membership_invalid"


class NoShopSelected(DomainError):
    code = "no_shop"
    default_message = _("你还不是任何店铺的成员。")


class CreatorAccountUnknown(DomainError):
    code = "creator_account_unknown"
    default_message = _("查询不到这个抖音账号，请稍后再试。")
