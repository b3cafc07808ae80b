"""Pieces both console lists (订单管理, 售后) share: status tabs and keyset pages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core import pagination
from core.views import cursor_links, query_with


def status_tabs(request, choices, counts, active) -> list[dict]:
    """Status tabs with their counts, each keeping the other filters."""
    return [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "active": key == active,
            "query": query_with(request, tab=key, cursor=None),
        }
        for key, label in choices
    ]


def status_list(request, filter_class, rows, *, tabs, counts, sort, size) -> dict | None:
    """A status-tabbed list of the console's shop: `filter_class` over the selector `rows`
    on the chosen tab (`tabs.ALL` by default), its keyset page and the tabs with the
    selector `counts`; returns the page's context (`filter`, `tabs`, `page` and its
    links), or None when the cursor is broken (after saying so): the caller then goes
    back to `first_page`."""
    context = request.console
    params = request.GET.copy()
    params.setdefault("tab", tabs.ALL)
    filterset = filter_class(params, queryset=rows(context=context))
    page = list_page(request, filterset, sort=sort, size=size)
    if page is None:
        return None
    return {
        "filter": filterset,
        "tabs": status_tabs(request, tabs.CHOICES, counts(context=context), params["tab"]),
        "page": page,
        **cursor_links(request, page),
    }


def list_page(request, filterset, *, sort, size):
    """The keyset page of a valid filter (an empty page otherwise), or None when the
    cursor is broken, after saying so: the caller then goes back to `first_page`."""
    if not filterset.is_valid():
        return pagination.KeysetPage([], None, None)
    try:
        return pagination.keyset_page(
            filterset.qs, sort=sort, cursor=request.GET.get("cursor") or None, size=size
        )
    except pagination.BadCursor:
        messages.warning(request, _("翻页链接已失效，已回到第一页。"))
        return None


def first_page(request):
    return redirect(f"{request.path}?{query_with(request, cursor=None)}")
