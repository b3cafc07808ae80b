"""物流 console pages and the tracking push endpoint: thin callers of
logistics.services and logistics.selectors."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import signing
from core.bounds import MAX_ID, parse_int
from core.exceptions import DomainError
from core.views import numbered_page, redirect_back, run_form, run_service, submit
from orders.deadlines import remaining_text, ship_deadline_state
from orders.masking import masked_receiver
from orders.models import AfterSale, Order
from shops.roles import Perm
from shops.tenancy import ContextKind, get_scoped_or_404
from shops.views import console_view

from . import selectors, services
from .filters import ShipmentFilter
from .forms import (
    MergeShipForm,
    MultiShipForm,
    OrderShipForm,
    ShipForm,
    carrier_choices,
)
from .models import Shipment

logger = logging.getLogger("logistics.tracking")

PAGE_SIZE = 20
MULTI_SHIP_MAX = 50

shop_view = console_view(ContextKind.SHOP)
ship_view = console_view(ContextKind.SHOP, perm=Perm.ORDER_SHIP)


def _report(request, outcome: services.ShipOutcome, done: str) -> None:
    messages.success(request, done)
    for warning in outcome.warnings:
        messages.warning(request, warning)


def _flash_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _ids(values) -> list[int]:
    return [n for n in (parse_int(v, maximum=MAX_ID) for v in values) if n is not None]


# --- 待发货 --------------------------------------------------------------------------------


@shop_view
def to_ship(request):
    context = request.console
    now = timezone.now()
    page = numbered_page(request, selectors.to_ship_orders(context=context), PAGE_SIZE)
    groups = selectors.merge_groups(context=context)
    choices = carrier_choices()
    grouped = {order.pk for group in groups for order in group.orders}
    rows = [
        {
            "order": order,
            "receiver": masked_receiver(order),
            "state": ship_deadline_state(order, now),
            "remaining": remaining_text(order, now),
            "mergeable": order.pk in grouped,
        }
        for order in page
    ]
    return render(
        request,
        "logistics/to_ship.html",
        {
            "tab": "to_ship",
            "selectable": context.has_perm(Perm.ORDER_SHIP),
            "page": page,
            "rows": rows,
            "groups": [
                {
                    "group": group,
                    "receiver": masked_receiver(group.first),
                    "form": MergeShipForm(prefix=f"m{group.first.pk}", shared_choices=choices),
                }
                for group in groups
            ],
            "can_ship": context.has_perm(Perm.ORDER_SHIP),
            "can_print": context.has_perm(Perm.WAYBILL_PRINT),
        },
    )


@ship_view
@require_POST
def merge_ship(request):
    form = MergeShipForm(request.POST, prefix=request.POST.get("prefix") or None)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("logistics:to_ship")
    ran, outcome = run_service(
        request,
        lambda: services.orders_merge_ship(
            context=request.console,
            order_ids=form.cleaned_data["order_ids"],
            **form.parcel(),
        ),
    )
    if ran:
        _report(
            request,
            outcome,
            _("已合并发货 %(n)s 个订单，运单号 %(no)s。")
            % {
                "n": len(form.cleaned_data["order_ids"]),
                "no": outcome.shipments[0].tracking_no,
            },
        )
    return redirect("logistics:to_ship")


@ship_view
def multi_ship(request):
    """The order list's 批量发货: GET ?order_ids=… opens the form, POST ships."""
    context = request.console
    source = request.POST if request.method == "POST" else request.GET
    ids = _ids(source.getlist("order_ids"))[:MULTI_SHIP_MAX]
    orders = list(
        selectors.to_ship_orders(context=context).filter(pk__in=ids).order_by("exp_ship_time")
    )
    if not orders:
        messages.error(request, _("请先勾选待发货的订单。"))
        return redirect("logistics:to_ship")
    form = MultiShipForm(request.POST if request.method == "POST" else None, orders=orders)
    ran, outcome = run_form(
        request,
        form,
        lambda _data: services.orders_ship_each(context=context, entries=form.entries()),
    )
    if ran:
        _report(request, outcome, _("已发货 %(n)s 个订单。") % {"n": len(outcome.shipments)})
        return redirect("logistics:shipments")
    skipped = len(set(ids)) - len(orders)
    return render(
        request,
        "logistics/multi_ship.html",
        {
            "form": form,
            "rows": [
                (order, masked_receiver(order), carrier, tracking)
                for order, carrier, tracking in form.rows()
            ],
            "skipped": skipped,
        },
    )


@ship_view
@require_POST
def order_ship(request, order_id: int):
    """The ship form on the order detail page."""
    context = request.console
    order = get_scoped_or_404(Order.objects.prefetch_related("items"), context, pk=order_id)
    detail = reverse("orders:detail", args=[order.pk])
    form = OrderShipForm(request.POST, order=order)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(detail)
    ran, outcome = run_service(
        request,
        lambda: services.order_ship(
            context=context,
            order_id=order.pk,
            quantities=form.quantities(),
            **form.parcel(),
        ),
    )
    if ran:
        shipment = outcome.shipments[0]
        _report(
            request,
            outcome,
            _("已发货：%(carrier)s %(no)s。")
            % {"carrier": shipment.carrier, "no": shipment.tracking_no},
        )
    return redirect(f"{detail}#parcels")


@ship_view
@require_POST
def exchange_ship(request, aftersale_id: int):
    """The exchange parcel of a 换货 after-sale, from its detail page."""
    get_scoped_or_404(AfterSale.objects.all(), request.console, pk=aftersale_id)
    detail = reverse("aftersales:detail", args=[aftersale_id])
    form = ShipForm(request.POST, prefix="exchange")
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(detail)
    ran, outcome = run_service(
        request,
        lambda: services.aftersale_ship(
            context=request.console,
            aftersale_id=aftersale_id,
            **form.parcel(),
        ),
    )
    if ran:
        _report(request, outcome, _("换货已发出。"))
    return redirect(detail)


# --- 发货记录 -------------------------------------------------------------------------------


@shop_view
def shipment_list(request):
    context = request.console
    filterset = ShipmentFilter(request.GET, queryset=selectors.shipment_list(context=context))
    page = numbered_page(request, filterset.qs, PAGE_SIZE)
    now = timezone.now()
    rows = []
    for shipment in page:
        lines = list(shipment.lines.all())
        rows.append(
            {
                "shipment": shipment,
                "lines": lines,
                "orders": list({line.order_id: line.order for line in lines}.values()),
                "receiver": masked_receiver(lines[0].order) if lines else None,
                "no_scan": selectors.is_no_scan(shipment, now),
                "can_correct": selectors.can_correct(shipment, now),
            }
        )
    return render(
        request,
        "logistics/shipments.html",
        {
            "tab": "shipments",
            "selectable": context.has_perm(Perm.WAYBILL_PRINT),
            "page": page,
            "rows": rows,
            "filter_form": filterset.form,
            "can_ship": context.has_perm(Perm.ORDER_SHIP),
            "can_print": context.has_perm(Perm.WAYBILL_PRINT),
        },
    )


@ship_view
def shipment_correct(request, shipment_id: int):
    context = request.console
    shipment = selectors.shipment_detail(context=context, shipment_id=shipment_id)
    form = ShipForm(
        request.POST or None,
        initial={"carrier": shipment.carrier_id, "tracking_no": shipment.tracking_no},
    )
    done = submit(
        request,
        form,
        lambda _data: services.shipment_correct_tracking(
            context=context, shipment_id=shipment.pk, **form.parcel()
        ),
        success=_("运单号已修改。"),
        to="logistics:shipments",
    )
    return done or render(
        request,
        "logistics/correct.html",
        {
            "form": form,
            "shipment": shipment,
            "corrections": shipment.corrections.select_related(
                "old_carrier", "new_carrier", "actor"
            ),
            "can_correct": selectors.can_correct(shipment),
        },
    )


# --- printing ------------------------------------------------------------------------------


@console_view(ContextKind.SHOP, perm=Perm.WAYBILL_PRINT)
@require_POST
def waybill_print(request):
    ran, result = run_service(
        request,
        lambda: services.waybills_print(
            context=request.console,
            shipment_ids=_ids(request.POST.getlist("shipment_ids")),
            order_ids=_ids(request.POST.getlist("order_ids")),
        ),
    )
    if not ran:
        return redirect_back(request, reverse("logistics:shipments"))
    response = HttpResponse(result.pdf, content_type="application/pdf")
    stamp = timezone.localtime(result.record.created_at).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'inline; filename="waybills-{stamp}.pdf"'
    return response


@console_view(ContextKind.SHOP, perm=Perm.WAYBILL_PRINT)
def print_records(request):
    page = numbered_page(request, selectors.print_record_list(context=request.console), PAGE_SIZE)
    return render(request, "logistics/prints.html", {"page": page, "can_print": True})


# --- tracking push -------------------------------------------------------------------------


@csrf_exempt
@require_POST
def tracking_push(request):
    """POST from a carrier or tracking aggregator, signed like core.signing says with
    settings.TRACKING_PUSH_SECRET. Bad or stale signature: 401 and nothing written."""
    body = request.body
    if not signing.signature_valid(
        secret=settings.TRACKING_PUSH_SECRET,
        timestamp=request.headers.get("X-Tracking-Timestamp"),
        signature_hex=request.headers.get("X-Tracking-Signature"),
        body=body,
    ):
        logger.warning("tracking push refused: bad or stale signature")
        return JsonResponse(
            {"code": "invalid_signature", "message": "invalid signature"}, status=401
        )
    try:
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"code": "invalid", "message": "body is not a JSON object"}, status=400)
    try:
        result = services.tracking_record_push(
            carrier_code=data.get("carrier", ""),
            tracking_no=data.get("tracking_no", ""),
            events=data.get("events"),
        )
    except Shipment.DoesNotExist:
        return JsonResponse({"code": "not_found", "message": "unknown tracking number"}, status=404)
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=400)
    return JsonResponse({"code": "ok", "shipments": result.shipments, "created": result.created})
