"""订单管理 in the console: the list, the detail page and its actions (remark, 查看
receiver, cancel); thin views over orders.selectors and orders.services."""

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
from core.views import redirect_back, run_service, submit
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from .. import rules, selectors, services
from ..deadlines import late_compensation_fen, remaining_text, ship_deadline_state
from ..filters import OrderFilter, OrderTab
from ..masking import full_receiver, masked_receiver
from ..models import RemarkFlag
from .common import first_page, status_list

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


@console_view(ContextKind.SHOP)
def order_list(request):
    context = request.console
    sort_key = request.GET.get("sort")
    if sort_key not in selectors.ORDER_SORTS:
        sort_key = "created"
    size = request.GET.get("size", "")
    size = parse_int(size, maximum=MAX_ID)
    size = size if size in pagination.PAGE_SIZES else 20
    listing = status_list(
        request,
        OrderFilter,
        selectors.order_list,
        tabs=OrderTab,
        counts=selectors.order_tab_counts,
        sort=selectors.ORDER_SORTS[sort_key],
        size=size,
    )
    if listing is None:
        return first_page(request)
    now = timezone.now()
    return render(
        request,
        "orders/console/order_list.html",
        {
            **listing,
            "rows": [_row(order, now) for order in listing["page"].rows],
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
            "can_cancel": context.has_perm(Perm.ORDER_CANCEL) and rules.can_cancel(order),
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
    """商家备注 and its flag; a refusal is shown on the remark form."""
    context = request.console
    order = selectors.order_detail(context=context, order_id=order_id)
    form = RemarkForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.order_update_remark(context=context, order_ids=[order.pk], **data),
        success=_("备注已保存。"),
        to=reverse("orders:detail", args=[order.pk]),
    )
    return done or _order_page(request, order, remark_form=form, status=400)


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
    """Cancel an unpaid order. A refusal (e.g. the buyer paid meanwhile) is flashed over
    the order's page as it now is, not shown on the form."""
    context = request.console
    order = selectors.order_detail(context=context, order_id=order_id)
    form = CancelForm(request.POST)
    if form.is_valid():
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
