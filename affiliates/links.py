"""Turn what a creator pastes (a product link, a short link or a 淘口令 message) into
(source, item id).

Long links are parsed here; short links and 淘口令 tokens only mean something to the
affiliate network, so they are resolved through the source client.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from .exceptions import LinkNotRecognised
from .sources import Source, SourceClient

# Hosts we recognise anywhere in the pasted text, with or without a scheme.
_URL = re.compile(
    r"(?:https?://)?"
    r"(?P<host>(?:[a-z0-9-]+\.)*"
    r"(?:taobao\.com|tmall\.com|tb\.cn|jd\.com|3\.cn|kaola\.com|vip\.com|suning\.com))"
    r"(?P<rest>[/?][^\s，。！、“”\"'<>【】「」]*)?",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"^\d{4,20}$")
# Item pages of the other sources: (source, hosts, path whose group 1 is the item id).
_ITEM_PAGES = [
    (Source.JD, {"item.jd.com"}, re.compile(r"^/(\d{4,20})\.html$")),
    (Source.JD, {"item.m.jd.com"}, re.compile(r"^/product/(\d{4,20})\.html$")),
    (
        Source.KAOLA,
        {"goods.kaola.com", "m-goods.kaola.com"},
        re.compile(r"^/product/(\d{3,20})\.html$"),
    ),
    (
        Source.VIP,
        {"detail.vip.com", "m.vip.com"},
        re.compile(r"^/(?:detail|product)-\d+-(\d{3,30})\.html$"),
    ),
    (
        Source.SUNING,
        {"product.suning.com", "m.suning.com"},
        re.compile(r"^/(?:product/)?\d{4,12}/(\d{4,20})\.html$"),
    ),
]

# 淘口令: an 8–14 character token between a pair of currency signs (￥…￥, €…€, ¢…¢, $…$,
# ₤…₤, …) or in brackets. 淘宝 keeps changing the markers to dodge other apps' filters.
_TOKEN_SIGNS = "￥¥€¢$₤£₳₴₰¤"
_TOKEN = re.compile(
    rf"(?P<sign>[{re.escape(_TOKEN_SIGNS)}])(?P<token>[A-Za-z0-9]{{8,14}})(?P=sign)"
    r"|[(（](?P<bracketed>[A-Za-z0-9]{8,14})[)）]"
)

SHORT_LINK_HOSTS = {
    "m.tb.cn": Source.TAOBAO,
    "tb.cn": Source.TAOBAO,
    "s.click.taobao.com": Source.TAOBAO,
    "u.jd.com": Source.JD,
    "3.cn": Source.JD,
}


@dataclass(frozen=True)
class ItemRef:
    """A parsed paste: either (source, item_id), or a short link / token still to resolve."""

    source: str
    item_id: str = ""
    short_link: str = ""
    token: str = ""


def accepted_forms() -> str:
    return _(
        "支持：淘宝/天猫商品链接（item.taobao.com/item.htm?id=…、detail.tmall.com/item.htm?id=…）、"
        "京东（item.jd.com/编号.html、item.m.jd.com/product/编号.html）、"
        "考拉（goods.kaola.com/product/编号.html）、唯品会（detail.vip.com/detail-品牌-编号.html）、"
        "苏宁（product.suning.com/店铺/编号.html）、短链接（m.tb.cn、u.jd.com）"
        "以及带 ￥…￥ 等标记的淘口令。"
    )


def _not_recognised() -> LinkNotRecognised:
    message = _("无法识别这个链接或淘口令。") + accepted_forms()
    return LinkNotRecognised(message, fields={"text": [message]})


def _from_url(host: str, rest: str) -> ItemRef | None:
    host = host.lower()
    parts = urlsplit(f"https://{host}{rest}")
    path = parts.path
    if host in SHORT_LINK_HOSTS and path.strip("/"):
        return ItemRef(SHORT_LINK_HOSTS[host], short_link=f"https://{host}{path}")
    if host.endswith(("taobao.com", "tmall.com")):
        item_id = (parse_qs(parts.query).get("id") or [""])[0]
        if path.endswith(("/item.htm", "/detail.htm")) and _DIGITS.match(item_id):
            return ItemRef(Source.TAOBAO, item_id)
        return None
    for source, hosts, pattern in _ITEM_PAGES:
        if host in hosts:
            match = pattern.match(path)
            return ItemRef(source, match.group(1)) if match else None
    return None


def parse_item_text(text: str) -> ItemRef:
    """What the pasted text points at; LinkNotRecognised (naming the accepted forms) if
    nothing in it is a product link, short link or 淘口令."""
    text = (text or "").strip()
    for match in _URL.finditer(text):
        ref = _from_url(match.group("host"), match.group("rest") or "")
        if ref is not None:
            return ref
    token = _TOKEN.search(text)
    if token:
        return ItemRef(Source.TAOBAO, token=token.group("token") or token.group("bracketed"))
    raise _not_recognised()


def resolve_item_text(text: str, client: SourceClient) -> tuple[str, str]:
    """(source, item id) for pasted text, asking the network about short links and tokens."""
    ref = parse_item_text(text)
    if ref.item_id:
        return ref.source, ref.item_id
    if ref.short_link:
        found = client.resolve_short_link(ref.short_link)
        what = _("短链接 %(link)s") % {"link": ref.short_link}
    else:
        found = client.resolve_token(ref.token)
        what = _("淘口令 %(token)s") % {"token": ref.token}
    if found is None:
        message = _("%(what)s 无法解析：已失效或不是商品链接。") % {"what": what}
        raise LinkNotRecognised(message, fields={"text": [message]})
    return found
