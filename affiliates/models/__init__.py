"""精选联盟 offers, the creator showcase (商品橱窗) and its video and live carts, by concern;
the money (commission ledger, withdrawals, shop settlement) lives in `affiliates.ledger`."""

from ..ledger.models import (
    Commission,
    LedgerEntry,
    PlatformFeeRate,
    ShopSettlement,
    Withdrawal,
)
from .lives import LiveItem, LiveSession, new_feed_token
from .offers import (
    MAX_RATE_BP,
    MIN_RATE_BP,
    AllianceOffer,
    AllianceOfferEvent,
    AllianceRate,
    OfferStatus,
    rate_validators,
)
from .showcase import INTERNAL_SOURCE_VALUES, BlockedCategory, ShowcaseCategory, ShowcaseItem
from .videos import VIDEO_MAX_ITEMS, Video, VideoItem

__all__ = [
    "INTERNAL_SOURCE_VALUES",
    "MAX_RATE_BP",
    "MIN_RATE_BP",
    "VIDEO_MAX_ITEMS",
    "AllianceOffer",
    "AllianceOfferEvent",
    "AllianceRate",
    "BlockedCategory",
    "Commission",
    "LedgerEntry",
    "LiveItem",
    "LiveSession",
    "OfferStatus",
    "PlatformFeeRate",
    "ShopSettlement",
    "ShowcaseCategory",
    "ShowcaseItem",
    "Video",
    "VideoItem",
    "Withdrawal",
    "new_feed_token",
    "rate_validators",
]
