"""Product sources and the client that fetches external items (淘宝联盟, 京东联盟, …).

`SourceClient` is the interface; `get_source_client()` builds the one named by the
AFFILIATE_SOURCE_CLIENT setting (a dotted path). The default, `OfflineSourceClient`,
answers from a JSON fixture shipped with the app, so everything works with no network;
a real 联盟 API client only has to implement the same three methods.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.fixtures import load_fixture

OFFLINE_FIXTURE = Path(__file__).resolve().parent / "data" / "offline_items.json"


class Source(models.TextChoices):
    SHOP = "shop", _("小店")
    ALLIANCE = "alliance", _("精选联盟")
    TAOBAO = "taobao", _("淘宝/天猫")
    JD = "jd", _("京东")
    KAOLA = "kaola", _("考拉")
    VIP = "vip", _("唯品会")
    SUNING = "suning", _("苏宁")


INTERNAL_SOURCES = frozenset({Source.SHOP, Source.ALLIANCE})
EXTERNAL_SOURCES = frozenset(set(Source) - INTERNAL_SOURCES)


class ShopLevel(models.IntegerChoices):
    """淘宝 seller credit: 1–5 心, 1–5 钻, 1–5 皇冠, 1–5 金冠; 天猫 shops have no credit
    level and rank above every C店 level."""

    HEART_1 = 1, _("一心")
    HEART_2 = 2, _("二心")
    HEART_3 = 3, _("三心")
    HEART_4 = 4, _("四心")
    HEART_5 = 5, _("五心")
    DIAMOND_1 = 6, _("一钻")
    DIAMOND_2 = 7, _("二钻")
    DIAMOND_3 = 8, _("三钻")
    DIAMOND_4 = 9, _("四钻")
    DIAMOND_5 = 10, _("五钻")
    CROWN_1 = 11, _("一皇冠")
    CROWN_2 = 12, _("二皇冠")
    CROWN_3 = 13, _("三皇冠")
    CROWN_4 = 14, _("四皇冠")
    CROWN_5 = 15, _("五皇冠")
    GOLD_CROWN_1 = 16, _("一金冠")
    GOLD_CROWN_2 = 17, _("二金冠")
    GOLD_CROWN_3 = 18, _("三金冠")
    GOLD_CROWN_4 = 19, _("四金冠")
    GOLD_CROWN_5 = 20, _("五金冠")
    TMALL = 100, _("天猫")


@dataclass(frozen=True)
class Dsr:
    """One DSR score (描述相符 / 服务态度 / 物流服务) and its category's industry average."""

    score: Decimal
    category_average: Decimal


@dataclass(frozen=True)
class ExternalItem:
    source: str
    item_id: str
    title: str
    price_fen: int
    image_url: str
    commission_rate_bp: int
    shop_name: str
    shop_level: int
    dsr_description: Dsr
    dsr_service: Dsr
    dsr_logistics: Dsr
    category: str

    @property
    def shop_level_label(self) -> str:
        return ShopLevel(self.shop_level).label


class SourceClient(Protocol):
    """What xiaodian needs from an affiliate network. Each method answers None when the
    network does not know the link, token or item; a network outage is an error."""

    def resolve_short_link(self, url: str) -> tuple[str, str] | None:
        """(source, item id) behind a short link such as https://m.tb.cn/h.xxx."""

    def resolve_token(self, token: str) -> tuple[str, str] | None:
        """(source, item id) behind a 淘口令 token (the text between ￥…￥)."""

    def item_details(self, source: str, item_id: str) -> ExternalItem | None:
        """Title, price, commission and shop quality of one item."""


def _item_from_dict(row: dict) -> ExternalItem:
    def dsr(name):
        return Dsr(Decimal(str(row[name])), Decimal(str(row[f"{name}_avg"])))

    return ExternalItem(
        source=row["source"],
        item_id=str(row["item_id"]),
        title=row["title"],
        price_fen=int(row["price_fen"]),
        image_url=row.get("image_url", ""),
        commission_rate_bp=int(row["commission_rate_bp"]),
        shop_name=row["shop_name"],
        shop_level=int(row["shop_level"]),
        dsr_description=dsr("dsr_description"),
        dsr_service=dsr("dsr_service"),
        dsr_logistics=dsr("dsr_logistics"),
        category=row["category"],
    )


class OfflineSourceClient:
    """Answers from a JSON file: {"items": [...], "short_links": {url: [source, id]},
    "tokens": {token: [source, id]}}."""

    def __init__(self, path: str | Path = OFFLINE_FIXTURE):
        self.data = load_fixture(str(path))

    @staticmethod
    def _normalise_url(url: str) -> str:
        # Short links arrive with or without scheme, tracking query or trailing slash.
        bare = url.split("://", 1)[-1].split("?", 1)[0].rstrip("/")
        return bare.lower()

    def resolve_short_link(self, url: str) -> tuple[str, str] | None:
        links = {self._normalise_url(k): v for k, v in self.data.get("short_links", {}).items()}
        found = links.get(self._normalise_url(url))
        return (found[0], str(found[1])) if found else None

    def resolve_token(self, token: str) -> tuple[str, str] | None:
        found = self.data.get("tokens", {}).get(token)
        return (found[0], str(found[1])) if found else None

    def item_details(self, source: str, item_id: str) -> ExternalItem | None:
        for row in self.data.get("items", []):
            if row["source"] == source and str(row["item_id"]) == str(item_id):
                return _item_from_dict(row)
        return None


def get_source_client() -> SourceClient:
    return import_string(settings.AFFILIATE_SOURCE_CLIENT)()
