"""The console sidebar and 首页 cards, filled by each app from its AppConfig.ready().

Only what an app registers is shown, so the sidebar lists just the sections that exist.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tenancy import ConsoleContext, ContextKind


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


CardProvider = Callable[[ConsoleContext], list[Card]]

_sections: dict[str, Section] = {}
_card_providers: list[tuple[str, CardProvider]] = []


def register(
    *,
    sections: Iterable[Section] = (),
    shop_cards: Iterable[CardProvider] = (),
    creator_cards: Iterable[CardProvider] = (),
) -> None:
    """An app's part of the console, from its AppConfig.ready(): its sidebar sections
    and its 首页 card providers for each audience, shown in the order registered."""
    for section in sections:
        _sections[f"{section.audience}:{section.key}"] = section
    for audience, providers in (
        (ContextKind.SHOP, shop_cards),
        (ContextKind.CREATOR, creator_cards),
    ):
        for provider in providers:
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

    register(
        sections=[
            Section("home", _("首页"), "console:home", ContextKind.SHOP, 0),
            Section("settings", _("店铺设置"), "console:settings", ContextKind.SHOP, 90),
            Section("home", _("首页"), "console:home", ContextKind.CREATOR, 0),
        ],
        shop_cards=[dashboard.shop_cards],
        creator_cards=[dashboard.creator_cards],
    )
