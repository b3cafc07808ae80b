"""The creator's 数据看板 (/affiliates/data/) and its CSV files: thin callers of
affiliates.board.selectors, drawn like the merchant's 数据 page (orders.stats): the
headline figures with the page, each section fetched on its own."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from orders.stats.periods import PRESETS
from orders.stats.views import csv_response, headline, period_of
from shops.tenancy import ContextKind
from shops.views import console_view

from . import selectors, tables

EXPORT = "affiliates:board_export"


def _panels(context, period, view: str):
    selector, build, _title = tables.VIEWS[view]
    return build(selector(context=context, period=period))


@console_view(ContextKind.CREATOR)
def board(request):
    context = request.console
    period = period_of(request)
    query = urlencode(period.query())
    sections = [
        (view, title, None, f"{reverse('affiliates:board_section', args=[view])}?{query}")
        for view, (_s, _b, title) in tables.VIEWS.items()
    ]
    return render(
        request,
        "affiliates/board.html",
        {
            "period": period,
            "presets": PRESETS,
            "query": query,
            "cards": headline(selectors.overview(context=context, period=period), tables.FIGURES),
            "sections": sections,
            "export_name": EXPORT,
        },
    )


@console_view(ContextKind.CREATOR)
def board_section(request, view: str):
    """One section of the board (htmx swaps it in), drawn by static/js/stats.js."""
    if view not in tables.VIEWS:
        raise Http404
    period = period_of(request)
    return render(
        request,
        "orders/stats/_section.html",
        {
            "label": tables.VIEWS[view][2],
            "panels": _panels(request.console, period, view),
            "query": urlencode(period.query()),
            "export_name": EXPORT,
        },
    )


# Which view draws each panel (for its CSV file).
PANEL_VIEWS = {"commission": "trend"} | {view: view for view in tables.VIEWS}


@console_view(ContextKind.CREATOR)
def board_export(request, panel: str):
    view = PANEL_VIEWS.get(panel)
    if view is None:
        raise Http404
    period = period_of(request)
    found = [p for p in _panels(request.console, period, view) if p.key == panel]
    if not found:
        raise Http404
    return csv_response(found[0], period)
