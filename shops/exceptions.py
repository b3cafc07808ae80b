"""Errors of shops and memberships (the shared contract is `core.exceptions`)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class MembershipError(DomainError, code="membership_invalid"):
    """A member change the shop does not allow: unknown user, already a member, last 店主."""


class CreatorAccountUnknown(
    DomainError, code="creator_account_unknown", message=_("查询不到这个抖音账号，请稍后再试。")
):
    """The account client finds no Douyin account by that id."""
