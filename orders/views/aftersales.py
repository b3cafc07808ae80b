"""售后 in the console: the list, the detail page and the merchant's answers (agree,
reject, confirm the returned goods); thin views over orders.selectors and
orders.aftersales. The buttons shown are orders.rules' predicates, the services' guards."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import run_service, submit
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from .. import aftersales, rules, selectors
from ..filters import AfterSaleFilter, AfterSaleTab
from .common import first_page, status_list


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("拒绝原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写拒绝原因，买家会看到它。")},
    )


@console_view(ContextKind.SHOP)
def aftersale_list(request):
    listing = status_list(
        request,
        AfterSaleFilter,
        selectors.aftersale_list,
        tabs=AfterSaleTab,
        counts=selectors.aftersale_tab_counts,
        sort=selectors.AFTERSALE_SORT,
        size=20,
    )
    if listing is None:
        return first_page(request)
    return render(request, "orders/console/aftersale_list.html", listing)


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


def _answer(service, success, form_class=None):
    """The merchant's answer `service(context=…, aftersale_id=…, **the form's data)` as a
    POST view; its refusal (or the form's errors) is shown on the page."""

    @console_view(ContextKind.SHOP, perm=Perm.AFTERSALE_HANDLE)
    @require_POST
    def view(request, aftersale_id: int):
        context = request.console
        aftersale = selectors.aftersale_detail(context=context, aftersale_id=aftersale_id)
        if form_class is None:
            run_service(
                request,
                lambda: service(context=context, aftersale_id=aftersale.pk),
                success=success,
            )
            return redirect("aftersales:detail", aftersale_id=aftersale.pk)
        form = form_class(request.POST)
        done = submit(
            request,
            form,
            lambda data: service(context=context, aftersale_id=aftersale.pk, **data),
            success=success,
            to=reverse("aftersales:detail", args=[aftersale.pk]),
        )
        return done or _aftersale_page(request, aftersale, reject_form=form, status=400)

    return view


aftersale_agree = _answer(aftersales.aftersale_agree, gettext_lazy("已同意该售后申请。"))
aftersale_reject = _answer(
    aftersales.aftersale_reject, gettext_lazy("已拒绝该售后申请。"), form_class=RejectForm
)
aftersale_receive = _answer(
    aftersales.aftersale_confirm_received, gettext_lazy("已确认收到退回商品。")
)
