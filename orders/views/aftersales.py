"""售后 in the console: the list, the detail page and the merchant's answers (agree,
reject, confirm the returned goods); thin views over orders.selectors and
orders.aftersales. The buttons shown are orders.rules' predicates, the services' guards."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import cursor_links, run_service
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from .. import aftersales, rules, selectors
from ..filters import AfterSaleFilter, AfterSaleTab
from .common import first_page, list_page, status_tabs


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("拒绝原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写拒绝原因，买家会看到它。")},
    )


@console_view(ContextKind.SHOP)
def aftersale_list(request):
    context = request.console
    params = request.GET.copy()
    params.setdefault("tab", AfterSaleTab.ALL)
    filterset = AfterSaleFilter(params, queryset=selectors.aftersale_list(context=context))
    page = list_page(request, filterset, sort=selectors.AFTERSALE_SORT, size=20)
    if page is None:
        return first_page(request)
    counts = selectors.aftersale_tab_counts(context=context)
    tabs = status_tabs(request, AfterSaleTab.CHOICES, counts, params["tab"])
    return render(
        request,
        "orders/console/aftersale_list.html",
        {
            "filter": filterset,
            "tabs": tabs,
            "page": page,
            **cursor_links(request, page),
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
            "can_agree": can_handle and rules.can_agree(aftersale),
            "can_reject": can_handle and rules.can_reject(aftersale),
            "can_receive": can_handle and rules.can_receive_return(aftersale),
            "needs_return": rules.agree_awaits_return(aftersale),
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
