"""The console sidebar and 首页 cards, filled by each app from its AppConfig.ready().

Only what an app registers is shown, so the sidebar lists just the sections that exist.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tenancy import ConsoleContext


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    audience: str  # ContextKind.SHOP or ContextKind.CREATOR
    order: int
    perm: str | None = None
    # Views whose name starts with this light the section up: "products:" for an app's
    # namespace, "console:settings" for a page and its "console:settings_*" children.
    match: str = ""

    def is_active(self, view_name: str | None) -> bool:
        if not view_name:
            return False
        match = self.match or self.url_name
        if match.endswith(":"):
            return view_name.startswith(match)
        return view_name == match or view_name.startswith(f"{match}_")


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    hint: str = ""
    url: str = ""
    tone: str = ""  # "", "warn" or "danger"


_sections: dict[str, Section] = {}
_card_providers: list[tuple[str, Callable[[ConsoleContext], list[Card]]]] = []


def register_section(section: Section) -> None:
    _sections[f"{section.audience}:{section.key}"] = section


def register_cards(audience: str, provider: Callable[[ConsoleContext], list[Card]]) -> None:
    if (audience, provider) not in _card_providers:
        _card_providers.append((audience, provider))


def sections_for(context: ConsoleContext, view_name: str | None) -> list[dict]:
    visible = sorted(
        (
            s
            for s in _sections.values()
            if s.audience == context.kind and (s.perm is None or context.has_perm(s.perm))
        ),
        key=lambda s: s.order,
    )
    return [
        {
            "key": s.key,
            "label": s.label,
            "url": reverse(s.url_name),
            "active": s.is_active(view_name),
        }
        for s in visible
    ]


def cards_for(context: ConsoleContext) -> list[Card]:
    cards: list[Card] = []
    for audience, provider in _card_providers:
        if audience == context.kind:
            cards.extend(provider(context))
    return cards


def register_shops_sections() -> None:
    from . import dashboard
    from .tenancy import ContextKind

    register_section(Section("home", _("首页"), "console:home", ContextKind.SHOP, 0))
    register_section(Section("settings", _("店铺设置"), "console:settings", ContextKind.SHOP, 90))
    register_section(Section("home", _("首页"), "console:home", ContextKind.CREATOR, 0))
    register_cards(ContextKind.SHOP, dashboard.shop_cards)
    register_cards(ContextKind.CREATOR, dashboard.creator_cards)
