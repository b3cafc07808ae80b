"""Domain errors. Every app's errors derive from DomainError so views and the API
show their message to the user as it is."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    default_message = _("操作无法完成。")

    def __init__(self, message=None, *, fields=None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class PermissionRefused(DomainError):
    code = "permission_denied"
    default_message = _("你的角色没有这项权限。")


class MembershipError(DomainError):
    code = "membership_invalid"


class NoShopSelected(DomainError):
    code = "no_shop"
    default_message = _("你还不是任何店铺的成员。")
