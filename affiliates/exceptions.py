from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class LinkNotRecognised(DomainError, code="link_not_recognised"):
    """Pasted text that is no link or 淘口令 of a supported source."""


class ExternalItemNotFound(DomainError, code="external_item_not_found"):
    """A recognised link whose item the source does not know (or no longer promotes)."""


class QualityGateRefused(DomainError, code="quality_gate_refused"):
    """A 淘宝/天猫 item failed one or more rules; `failures` lists every one."""

    def __init__(self, failures: list[str]):
        self.failures = failures
        message = _("该商品不符合淘宝/天猫商品准入规则：%(rules)s") % {"rules": "；".join(failures)}
        super().__init__(message, fields={"text": failures})


class ShowcaseUnavailable(
    DomainError,
    code="showcase_unavailable",
    message=_("开通商品分享（购物车）权限后才能使用商品橱窗。"),
):
    """A creator without the 商品分享 permission yet; `unmet` lists what is missing."""

    def __init__(self, unmet: list[str]):
        self.unmet = unmet
        detail = "；".join(unmet)
        message = self.default_message + (f" {detail}" if detail else "")
        super().__init__(message)


class ShowcaseError(DomainError, code="showcase_invalid"):
    """A showcase change refused: the item is there already, or its offer has ended."""


class VideoCartFull(DomainError, code="video_cart_full"):
    """A video cart already holding VIDEO_MAX_ITEMS items."""


class CartError(DomainError, code="cart_invalid"):
    """A cart change refused: an item 失效 or already in the cart, a bad cart row."""


class AllianceError(DomainError, code="alliance_invalid"):
    """精选联盟 offer changes the product or offer does not allow."""
