from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class LinkNotRecognised(DomainError):
    """Pasted text that is no link or 淘口令 of a supported source."""

    code = "link_not_recognised"


class ExternalItemNotFound(DomainError):
    """A recognised link whose item the source does not know (or no longer promotes)."""

    code = "external_item_not_found"


class QualityGateRefused(DomainError):
    """A 淘宝/天猫 item failed one or more rules; `failures` lists every one."""

    code = "quality_gate_refused"

    def __init__(self, failures: list[str]):
        self.failures = failures
        message = _("该商品不符合淘宝/天猫商品准入规则：%(rules)s") % {"rules": "；".join(failures)}
        super().__init__(message, fields={"text": failures})


class ShowcaseUnavailable(DomainError):
    code = "showcase_unavailable"
    default_message = _("开通商品分享（购物车）权限后才能使用商品橱窗。")

    def __init__(self, unmet: list[str]):
        self.unmet = unmet
        detail = "；".join(unmet)
        message = self.default_message + (f" {detail}" if detail else "")
        super().__init__(message)


class ShowcaseError(DomainError):
    """A showcase change refused: the item is there already, or its offer has ended."""

    code = "showcase_invalid"


class VideoCartFull(DomainError):
    """A video cart already holding VIDEO_MAX_ITEMS items."""

    code = "video_cart_full"


class CartError(DomainError):
    """A cart change refused: an item 失效 or already in the cart, a bad cart row."""

    code = "cart_invalid"


class AllianceError(DomainError):
    """精选联盟 offer changes the product or offer does not allow."""

    code = "alliance_invalid"
