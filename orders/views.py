"""The merchant console for orders (订单管理) and after-sales (售后): thin views over
orders.selectors (reads) and the services in orders.services / orders.aftersales."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import pagination
from core.actors import context_user
from core.bounds import MAX_ID, parse_int
from core.views import redirect_back, run_service
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from . import aftersales, selectors, services
from .deadlines import late_compensation_fen, remaining_text, ship_deadline_state
from .filters import AfterSaleFilter, AfterSaleTab, OrderFilter, OrderTab
from .masking import full_receiver, masked_receiver
from .models import AfterSaleStatus, OrderStatus, RemarkFlag

FLAG_CHOICES = [("", gettext_lazy("不修改旗帜")), *((str(v), lbl) for v, lbl in RemarkFlag.choices)]


class RemarkForm(forms.Form):
    remark = forms.CharField(
        label=gettext_lazy("商家备注"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    flag = forms.TypedChoiceField(
        label=gettext_lazy("旗帜"),
        choices=FLAG_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )


class BulkRemarkForm(RemarkForm):
    order_ids = forms.TypedMultipleChoiceField(coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is acceptable here; the service only touches the shop's own orders.
        self.fields["order_ids"].valid_value = lambda value: str(value).isdigit()
        self.fields["order_ids"].error_messages["required"] = gettext_lazy("请先勾选订单。")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("取消原因"),
        max_length=100,
        error_messages={"required": gettext_lazy("请填写取消原因。")},
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("拒绝原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写拒绝原因，买家会看到它。")},
    )


def _tabs(request, choices, counts, active) -> list[dict]:
    """Status tabs with their counts, each keeping the other filters."""
    return [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "active": key == active,
            "query": _query(request, tab=key, cursor=None),
        }
        for key, label in choices
    ]


def _query(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


def _deadline(order, now) -> dict | None:
    state = ship_deadline_state(order, now)
    if state is None:
        return None
    return {
        "state": state,
        "text": remaining_text(order, now),
        "compensation_fen": late_compensation_fen(order.paid_fen) if state == "overdue" else None,
    }


def _row(order, now) -> dict:
    return {
        "order": order,
        "items": list(order.items.all()),
        "url": reverse("orders:detail", args=[order.pk]),
        "receiver": masked_receiver(order),
        "deadline": _deadline(order, now),
    }


# --- orders ---------------------------------------------------------------------------


@console_view(ContextKind.SHOP)
def order_list(request):
    context = request.console
    params = request.GET.copy()
    params.setdefault("tab", OrderTab.ALL)
    filterset = OrderFilter(params, queryset=selectors.order_list(context=context))
    sort_key = request.GET.get("sort")
    if sort_key not in selectors.ORDER_SORTS:
        sort_key = "created"
    size = request.GET.get("size", "")
    size = parse_int(size, maximum=MAX_ID)
    size = size if size in pagination.PAGE_SIZES else 20
    page = pagination.KeysetPage([], None, None)
    if filterset.is_valid():
        try:
            page = pagination.keyset_page(
                filterset.qs,
                sort=selectors.ORDER_SORTS[sort_key],
                cursor=request.GET.get("cursor") or None,
                size=size,
            )
        except pagination.BadCursor:
            messages.warning(request, _("翻页链接已失效，已回到第一页。"))
            return redirect(f"{request.path}?{_query(request, cursor=None)}")
    now = timezone.now()
    counts = selectors.order_tab_counts(context=context)
    tabs = _tabs(request, OrderTab.CHOICES, counts, params["tab"])
    return render(
        request,
        "orders/console/order_list.html",
        {
            "filter": filterset,
            "tabs": tabs,
            "rows": [_row(order, now) for order in page.rows],
            "page": page,
            "next_query": _query(request, cursor=page.next_cursor) if page.next_cursor else "",
            "previous_query": (
                _query(request, cursor=page.previous_cursor) if page.previous_cursor else ""
            ),
            "sort": sort_key,
            "sorts": [
                ("created", _("下单时间")),
                ("paid", _("支付时间（仅已支付）")),
                ("ship_deadline", _("承诺发货时间（仅待发货）")),
            ],
            "size": size,
            "sizes": pagination.PAGE_SIZES,
            "bulk_form": BulkRemarkForm(),
            "can_remark": context.has_perm(Perm.ORDER_REMARK),
            "has_filters": any(
                value for key, value in request.GET.items() if key not in ("tab", "sort", "size")
            ),
        },
    )


def _order_page(request, order, *, receiver=None, remark_form=None, cancel_form=None, status=200):
    context = request.console
    now = timezone.now()
    return render(
        request,
        "orders/console/order_detail.html",
        {
            "order": order,
            "items": list(order.items.all()),
            "events": list(order.events.all()),
            "aftersales": list(order.aftersales.all()),
            "payments": list(order.payments.all()),
            "receiver": receiver or masked_receiver(order),
            "revealed": receiver is not None,
            "deadline": _deadline(order, now),
            "can_reveal": context.has_perm(Perm.RECEIVER_REVEAL),
            "can_remark": context.has_perm(Perm.ORDER_REMARK),
            "can_cancel": order.status == OrderStatus.UNPAID
            and context.has_perm(Perm.ORDER_CANCEL),
            "remark_form": remark_form
            or RemarkForm(initial={"remark": order.seller_remark, "flag": order.remark_flag}),
            "cancel_form": cancel_form or CancelForm(),
            "discount_fen": order.platform_discount_fen
            + order.shop_discount_fen
            + order.creator_discount_fen,
        },
        status=status,
    )


@console_view(ContextKind.SHOP)
def order_detail(request, order_id: int):
    order = selectors.order_detail(context=request.console, order_id=order_id)
    return _order_page(request, order)


@console_view(ContextKind.SHOP, perm=Perm.RECEIVER_REVEAL)
@require_POST
def order_reveal(request, order_id: int):
    """查看: the full receiver, logged by the service; shown once, never kept in the page."""
    context = request.console
    services.order_reveal_receiver(context=context, order_id=order_id)
    order = selectors.order_detail(context=context, order_id=order_id)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "orders/console/_receiver.html",
            {"order": order, "receiver": full_receiver(order), "revealed": True},
        )
    return _order_page(request, order, receiver=full_receiver(order))


@console_view(ContextKind.SHOP, perm=Perm.ORDER_REMARK)
@require_POST
def order_remark(request, order_id: int):
    context = request.console
    order = selectors.order_detail(context=context, order_id=order_id)
    form = RemarkForm(request.POST)
    if form.is_valid():
        ran, _result = run_service(
            request,
            lambda: services.order_update_remark(
                context=context,
                order_ids=[order.pk],
                remark=form.cleaned_data["remark"],
                flag=form.cleaned_data["flag"],
            ),
            success=_("备注已保存。"),
            form=form,
        )
        if ran:
            return redirect("orders:detail", order_id=order.pk)
    return _order_page(request, order, remark_form=form, status=400)


@console_view(ContextKind.SHOP, perm=Perm.ORDER_REMARK)
@require_POST
def order_bulk_remark(request):
    form = BulkRemarkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect_back(request, reverse("orders:list"))
    data = form.cleaned_data
    run_service(
        request,
        lambda: services.order_update_remark(
            context=request.console,
            order_ids=data["order_ids"],
            # A blank remark in the bulk bar means "leave the remarks as they are".
            remark=data["remark"] or None,
            flag=data["flag"],
        ),
        success=lambda updated: _("已更新 %(n)s 个订单。") % {"n": updated},
    )
    return redirect_back(request, reverse("orders:list"))


@console_view(ContextKind.SHOP, perm=Perm.ORDER_CANCEL)
@require_POST
def order_cancel(request, order_id: int):
    context = request.console
    order = selectors.order_detail(context=context, order_id=order_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        # Refused e.g. when the buyer paid meanwhile: the page then shows the order as it is.
        run_service(
            request,
            lambda: services.order_cancel(
                order_id=order.pk,
                reason=form.cleaned_data["reason"],
                actor=context_user(context),
                actor_label=_("商家"),
            ),
            success=_("订单已取消，库存已释放。"),
        )
        return redirect("orders:detail", order_id=order.pk)
    return _order_page(request, order, cancel_form=form, status=400)


# --- after-sales ----------------------------------------------------------------------


@console_view(ContextKind.SHOP)
def aftersale_list(request):
    context = request.console
    params = request.GET.copy()
    params.setdefault("tab", AfterSaleTab.ALL)
    filterset = AfterSaleFilter(params, queryset=selectors.aftersale_list(context=context))
    page = pagination.KeysetPage([], None, None)
    if filterset.is_valid():
        try:
            page = pagination.keyset_page(
                filterset.qs,
                sort=selectors.AFTERSALE_SORT,
                cursor=request.GET.get("cursor") or None,
                size=20,
            )
        except pagination.BadCursor:
            messages.warning(request, _("翻页链接已失效，已回到第一页。"))
            return redirect(f"{request.path}?{_query(request, cursor=None)}")
    counts = selectors.aftersale_tab_counts(context=context)
    tabs = _tabs(request, AfterSaleTab.CHOICES, counts, params["tab"])
    return render(
        request,
        "orders/console/aftersale_list.html",
        {
            "filter": filterset,
            "tabs": tabs,
            "page": page,
            "next_query": _query(request, cursor=page.next_cursor) if page.next_cursor else "",
            "previous_query": (
                _query(request, cursor=page.previous_cursor) if page.previous_cursor else ""
            ),
        },
    )


def _aftersale_page(request, aftersale, *, reject_form=None, status=200):
    context = request.console
    can_handle = context.has_perm(Perm.AFTERSALE_HANDLE)
    return render(
        request,
        "orders/console/aftersale_detail.html",
        {
            "aftersale": aftersale,
            "events": list(aftersale.events.all()),
            "can_agree": can_handle and aftersale.status == AfterSaleStatus.AWAITING_MERCHANT,
            "can_receive": can_handle
            and aftersale.status == AfterSaleStatus.AWAITING_MERCHANT_RECEIPT,
            "needs_return": aftersale.type in aftersales.RETURN_TYPES,
            "reject_form": reject_form or RejectForm(),
        },
        status=status,
    )


@console_view(ContextKind.SHOP)
def aftersale_detail(request, aftersale_id: int):
    aftersale = selectors.aftersale_detail(context=request.console, aftersale_id=aftersale_id)
    return _aftersale_page(request, aftersale)


def _aftersale_action(request, aftersale_id: int, act, success: str, form=None):
    """Run a merchant action through its service; its refusal is shown on the page."""
    context = request.console
    aftersale = selectors.aftersale_detail(context=context, aftersale_id=aftersale_id)
    if form is not None and not form.is_valid():
        return _aftersale_page(request, aftersale, reject_form=form, status=400)
    ran, _result = run_service(
        request, lambda: act(context, aftersale.pk), success=success, form=form
    )
    if not ran and form is not None:
        return _aftersale_page(request, aftersale, reject_form=form, status=400)
    return redirect("aftersales:detail", aftersale_id=aftersale.pk)


@console_view(ContextKind.SHOP, perm=Perm.AFTERSALE_HANDLE)
@require_POST
def aftersale_agree(request, aftersale_id: int):
    return _aftersale_action(
        request,
        aftersale_id,
        lambda context, pk: aftersales.aftersale_agree(context=context, aftersale_id=pk),
        _("已同意该售后申请。"),
    )


@console_view(ContextKind.SHOP, perm=Perm.AFTERSALE_HANDLE)
@require_POST
def aftersale_reject(request, aftersale_id: int):
    form = RejectForm(request.POST)
    return _aftersale_action(
        request,
        aftersale_id,
        lambda context, pk: aftersales.aftersale_reject(
            context=context, aftersale_id=pk, reason=form.cleaned_data["reason"]
        ),
        _("已拒绝该售后申请。"),
        form=form,
    )


@console_view(ContextKind.SHOP, perm=Perm.AFTERSALE_HANDLE)
@require_POST
def aftersale_receive(request, aftersale_id: int):
    return _aftersale_action(
        request,
        aftersale_id,
        lambda context, pk: aftersales.aftersale_confirm_received(context=context, aftersale_id=pk),
        _("已确认收到退回商品。"),
    )
