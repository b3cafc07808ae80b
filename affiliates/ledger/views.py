"""Console pages of money: 佣金收入 and 提现 for creators, 资金 for merchants."""

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pagination
from core.money import fen_to_yuan, yuan_to_fen
from core.views import cursor_links, query_with, submit
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from . import selectors
from .exports import export_response
from .forms import (
    STATE_CHOICES,
    ChartPeriodForm,
    EntryFilterForm,
    SettlementFilterForm,
    WithdrawalForm,
)
from .selectors import ENTRY_SORT, SETTLEMENT_SORT, Period
from .withdrawals import withdrawable_fen, withdrawal_request


def _page(request, queryset, sort, size: int):
    """A keyset page, or None for a cursor that was not made here."""
    try:
        return pagination.keyset_page(
            queryset, sort=sort, cursor=request.GET.get("cursor") or None, size=size
        )
    except pagination.BadCursor:
        return None


def _exported(request, rows, *, name: str, headers: list, row) -> HttpResponse | None:
    """The list as CSV or XLSX when its export link asked for it (`?export=csv|xlsx`)."""
    fmt = request.GET.get("export")
    if not fmt:
        return None
    return export_response(
        name=name,
        fmt=fmt,
        headers=[str(h) for h in headers],
        rows=(row(r) for r in rows.iterator(chunk_size=1000)),
    )


def _page_links(request, page) -> dict:
    """A list page's cursor links and its export links (same filters, from the start)."""
    return {
        "export_csv": query_with(request, cursor=None, export="csv"),
        "export_xlsx": query_with(request, cursor=None, export="xlsx"),
        **cursor_links(request, page),
    }


def _periods(today: date) -> list[Period]:
    return [
        Period("today", _("今日"), today, today),
        Period("month", _("本月"), today.replace(day=1), today),
        Period("all", _("累计"), None, None),
    ]


# ---- creator: 佣金收入 ------------------------------------------------------------------


@console_view(ContextKind.CREATOR)
def income(request):
    context = request.console
    today = timezone.localdate()
    periods = selectors.income_periods(context=context, periods=_periods(today))
    chart_form = ChartPeriodForm(request.GET or None)
    start, end = chart_form.period()
    if not chart_form.is_bound:
        chart_form = ChartPeriodForm(initial={"start": start, "end": end})
    days = selectors.income_daily(context=context, start=start, end=end)
    chart = {
        "days": [d["day"].isoformat() for d in days],
        "estimated": [fen_to_yuan(d["estimated_fen"]) for d in days],
        "settled": [fen_to_yuan(d["settled_fen"]) for d in days],
        "labels": {"estimated": _("预估收入"), "settled": _("结算收入")},
    }
    return render(
        request,
        "affiliates/ledger/income.html",
        {
            "periods": periods,
            "states": STATE_CHOICES[1:],
            "chart_form": chart_form,
            "days": days,
            "chart": chart,
            "withdrawable_fen": withdrawable_fen(context.creator.pk),
        },
    )


ENTRY_HEADERS = [
    _("记账时间"),
    _("来源"),
    _("类型"),
    _("账户"),
    _("订单编号"),
    _("子订单编号"),
    _("商品"),
    _("下单时间"),
    _("计佣金额（元）"),
    _("佣金（元）"),
    _("技术服务费（元）"),
    _("达人收入（元）"),
    _("原因"),
]


def _entry_row(entry) -> list:
    commission = entry.commission
    local = timezone.localtime
    return [
        local(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.get_source_display(),
        entry.get_kind_display(),
        entry.get_bucket_display(),
        commission.order_no if commission else "",
        commission.external_order_no if commission else "",
        commission.product_title if commission else _("提现"),
        local(entry.ordered_at).strftime("%Y-%m-%d %H:%M:%S"),
        fen_to_yuan(entry.base_fen),
        fen_to_yuan(entry.commission_fen),
        fen_to_yuan(entry.fee_fen),
        fen_to_yuan(entry.net_fen),
        entry.reason,
    ]


@console_view(ContextKind.CREATOR)
def income_entries(request):
    context = request.console
    form = EntryFilterForm(request.GET or None)
    entries = selectors.entry_list(context=context, **form.filters())
    exported = _exported(request, entries, name="income", headers=ENTRY_HEADERS, row=_entry_row)
    if exported is not None:
        return exported
    size = (form.is_valid() and form.cleaned_data.get("size")) or pagination.PAGE_SIZES[0]
    page = _page(request, entries, ENTRY_SORT, size)
    if page is None:
        return redirect(f"{request.path}?{query_with(request, cursor=None)}")
    return render(
        request,
        "affiliates/ledger/entries.html",
        {
            "form": form,
            "entries": page.rows,
            **_page_links(request, page),
        },
    )


@console_view(ContextKind.CREATOR)
def income_order(request, order_id: int):
    """An order's commission lineage: every entry, with its reason."""
    commissions = selectors.commission_lineage(context=request.console, order_id=order_id)
    if not commissions:
        raise Http404
    return render(
        request,
        "affiliates/ledger/order.html",
        {"order": commissions[0].order, "commissions": commissions},
    )


@console_view(ContextKind.CREATOR)
def withdrawals(request):
    context = request.console
    form = WithdrawalForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: withdrawal_request(
            context=context, amount_fen=yuan_to_fen(data["amount"]), account=data["account"]
        ),
        success=_("提现申请已提交，金额已冻结，等待平台审核。"),
        on_error=lambda exc: form.add_error(
            "amount" if "amount_fen" in exc.fields else None, exc.message
        ),
        to="affiliates:income_withdrawals",
    )
    return done or render(
        request,
        "affiliates/ledger/withdrawals.html",
        {
            "form": form,
            "withdrawable_fen": withdrawable_fen(context.creator.pk),
            "withdrawals": selectors.withdrawal_list(context=context)[:100],
        },
    )


# ---- merchant: 资金 ---------------------------------------------------------------------

SETTLEMENT_HEADERS = [
    _("主订单编号"),
    _("结算状态"),
    _("支付时间"),
    _("商品实付（元）"),
    _("运费（元）"),
    _("平台服务费（元）"),
    _("达人佣金（元）"),
    _("退款（元）"),
    _("结算金额（元）"),
    _("结算后退款（元）"),
    _("预计结算时间"),
    _("结算时间"),
]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _settlement_row(s) -> list:
    return [
        s.order_no,
        s.get_state_display(),
        _local(s.paid_at),
        fen_to_yuan(s.goods_fen),
        fen_to_yuan(s.shipping_fen),
        fen_to_yuan(s.platform_fee_fen),
        fen_to_yuan(s.commission_fen),
        fen_to_yuan(s.refund_fen),
        fen_to_yuan(s.settle_fen),
        fen_to_yuan(s.refund_after_settle_fen),
        _local(s.settle_due_at),
        _local(s.settled_at),
    ]


@console_view(ContextKind.SHOP, perm=Perm.FUNDS_VIEW)
def funds(request):
    context = request.console
    form = SettlementFilterForm(request.GET or None, initial={"period": "30d"})
    filters = form.filters()
    settlements = selectors.settlement_list(context=context, **filters)
    exported = _exported(
        request, settlements, name="settlements", headers=SETTLEMENT_HEADERS, row=_settlement_row
    )
    if exported is not None:
        return exported
    page = _page(request, settlements, SETTLEMENT_SORT, pagination.PAGE_SIZES[1])
    if page is None:
        return redirect(f"{request.path}?{query_with(request, cursor=None)}")
    totals = selectors.settlement_totals(
        context=context, start=filters["start"], end=filters["end"]
    )
    return render(
        request,
        "affiliates/ledger/funds.html",
        {
            "form": form,
            "filters": filters,
            "totals": totals,
            "settlements": page.rows,
            **_page_links(request, page),
        },
    )
