"""The 数据 page and its CSV files: thin callers of orders.stats.selectors, rendered
through orders.stats.tables (one source for chart, table and file)."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.exports import neutralise
from core.money import format_yuan
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from . import selectors, tables
from .definitions import FIGURES
from .periods import DEFAULT_PRESET, PRESETS, BadPeriod, parse_period, preset_period

# Which view draws each panel (for its CSV file).
PANEL_VIEWS = {
    "trend": "trend",
    "products_orders": "products",
    "products_amount": "products",
    "slow": "products",
    "provinces": "provinces",
    "cities": "provinces",
    "hours": "hours",
    "bands": "price-bands",
    "channels": "channels",
    "sources": "channels",
    "creators": "channels",
    "buyers": "channels",
}
SECTIONS = (
    ("trend", _("趋势")),
    ("products", _("商品")),
    ("provinces", _("地域")),
    ("hours", _("时段")),
    ("price-bands", _("价格带")),
    ("channels", _("渠道")),
)


def period_of(request):
    try:
        return parse_period(request.GET)
    except BadPeriod as exc:
        messages.error(request, exc.message)
        return preset_period(DEFAULT_PRESET)


def headline(figures: dict, definitions=FIGURES) -> list[dict]:
    """The headline cards: value as merchants read it, 环比, definition."""
    previous = figures["previous"]
    cards = []
    for figure in definitions:
        value, before = figures[figure.key], previous[figure.key]
        if figure.money:
            shown = format_yuan(value)
        elif figure.key == "refund_rate":
            shown = tables.pct(value)
        else:
            shown = f"{value:,}"
        cards.append(
            {
                "key": figure.key,
                "label": figure.label,
                "value": shown,
                "change": selectors.change_text(value, before),
                "definition": figure.definition,
            }
        )
    return cards


def _panels(context, period, view: str, province: str) -> list[tables.Panel]:
    selector, build = tables.VIEWS[view]
    extra = {"province": province} if view == "provinces" else {}
    return build(selector(context=context, period=period, **extra))


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
def stats_page(request):
    """The headline figures; each section loads on its own (stats_section), so every
    request answers within the time one view is allowed, even for a year."""
    context = request.console
    period = period_of(request)
    province = request.GET.get("province", "").strip()
    query = urlencode(period.query())
    params = urlencode(period.query() | ({"province": province} if province else {}))
    sections = [
        (view, label, None, f"{reverse('stats:section', args=[view])}?{params}")
        for view, label in SECTIONS
    ]
    return render(
        request,
        "orders/stats/page.html",
        {
            "period": period,
            "presets": PRESETS,
            "query": query,
            "province": province,
            "cards": headline(selectors.overview(context=context, period=period)),
            "sections": sections,
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
def stats_section(request, view: str):
    """One section of the page (htmx swaps it in), drawn by static/js/stats.js."""
    labels = dict(SECTIONS)
    if view not in labels:
        raise Http404
    period = period_of(request)
    province = request.GET.get("province", "").strip()
    return render(
        request,
        "orders/stats/_section.html",
        {
            "label": labels[view],
            "panels": _panels(request.console, period, view, province),
            "query": urlencode(period.query()),
            "province": province,
            "export_name": "stats:export",
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
def stats_export(request, panel: str):
    view = PANEL_VIEWS.get(panel)
    if view is None:
        raise Http404
    period = period_of(request)
    found = [
        p
        for p in _panels(request.console, period, view, request.GET.get("province", "").strip())
        if p.key == panel
    ]
    if not found:
        raise Http404
    return csv_response(found[0], period)


def csv_response(table: tables.Panel, period) -> HttpResponse:
    """One panel's table as CSV (UTF-8 with BOM for Excel), every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{table.key}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(str(header)) for header in table.headers])
    for row in table.rows:
        writer.writerow([neutralise(str(cell)) for cell in row])
    return response
