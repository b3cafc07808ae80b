"""Panels other apps add to orders' pages, registered from their AppConfig.ready().

Orders never imports the apps above it (logistics, affiliates), yet its pages show their
parcels, ship forms and the like: each app registers a panel (a template and a function
giving its context) for a page, and the page renders what is registered, in `order`.
Like shops.navigation for the sidebar.

A context function takes (request, obj) — obj is the page's order or after-sale — and
returns the panel's template context, or None to leave the panel out. It reads through
selectors with select_related/prefetch, so a panel costs a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

# Where a page shows panels: the page and, after the dot, the place on it.
ORDER_LIST_BULK = "order_list.bulk"  # buttons acting on the ticked orders (obj: None)
ORDER_ACTIONS = "order_detail.actions"  # the 订单操作 buttons
ORDER_DETAIL = "order_detail"  # sections below 商品信息
AFTERSALE_ACTIONS = "aftersale_detail.actions"  # inside 处理售后
BUYER_ORDER = "buyer_order"  # the buyer's order page, below the items
PAGES = frozenset({ORDER_LIST_BULK, ORDER_ACTIONS, ORDER_DETAIL, AFTERSALE_ACTIONS, BUYER_ORDER})


@dataclass(frozen=True)
class Panel:
    page: str
    key: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_panels: dict[tuple[str, str], Panel] = {}


def register_panel(
    page: str, key: str, template: str, context: Callable[..., dict | None], *, order: int = 100
) -> None:
    """Show `template` on `page`, filled by `context(request, obj)`. Registering the same
    key again replaces the panel (ready() may run more than once in tests)."""
    if page not in PAGES:
        raise ValueError(f"unknown order page {page!r}; one of {sorted(PAGES)}")
    _panels[(page, key)] = Panel(page, key, template, context, order)


def panels_for(page: str) -> list[Panel]:
    return sorted((p for p in _panels.values() if p.page == page), key=lambda p: (p.order, p.key))


def panel_contexts(page: str, request, obj) -> list[tuple[Panel, dict]]:
    """The panels of `page` that have something to show for `obj`, with their context."""
    shown = []
    for panel in panels_for(page):
        context = panel.context(request, obj)
        if context is not None:
            shown.append((panel, context))
    return shown
