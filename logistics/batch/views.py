"""批量发货 console pages: upload and past batches, the preview with its confirm button,
the progress partial polled by htmx, and the template and report downloads. Thin callers
of logistics.batch.services and logistics.batch.selectors."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.filters import chosen
from core.views import bound_form, numbered_page, run_service, upload_page
from orders.files.forms import params_of
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from ..filters import ShipBatchRowFilter
from ..models import ShipBatchRowResult, ShipBatchStatus
from . import files, selectors
from .services import inline_max_rows, ship_batch_confirm, ship_batch_preview

LIST_SIZE = 20
ROWS_SIZE = 50
RUNNING = (ShipBatchStatus.QUEUED, ShipBatchStatus.RUNNING)
CONTENT_TYPES = {"csv": files.CSV_CONTENT_TYPE, "xlsx": files.XLSX_CONTENT_TYPE}
RESULT_TONES = {
    ShipBatchRowResult.READY: "info",
    ShipBatchRowResult.INVALID: "danger",
    ShipBatchRowResult.SHIPPED: "ok",
    ShipBatchRowResult.ALREADY_SHIPPED: "warn",
    ShipBatchRowResult.FAILED: "danger",
}

ship_view = console_view(ContextKind.SHOP, perm=Perm.ORDER_SHIP)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("发货文件"),
        help_text=gettext_lazy(
            "CSV（UTF-8 或 GBK）或 XLSX，按模板填写订单号、快递公司、快递单号。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


def _download(content: bytes, fmt: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response


def _fmt(fmt: str) -> str:
    if fmt not in selectors.FORMATS:
        raise Http404
    return fmt


@ship_view
def batch(request):
    """Upload a file (→ its preview) and the list of past batches."""
    context = request.console
    form = bound_form(request, UploadForm)
    return upload_page(
        request,
        form,
        lambda data: ship_batch_preview(context=context, upload=data["file"]),
        to=lambda created: reverse("logistics:batch_detail", args=[created.pk]),
        jobs=selectors.ship_batch_list(context=context),
        size=LIST_SIZE,
        template="logistics/batch/list.html",
        context={"tab": "batch", "inline_max": inline_max_rows(), "running": RUNNING},
    )


@ship_view
def batch_detail(request, batch_id: int):
    """The preview (or the result) row by row, with counts per result."""
    shown = selectors.ship_batch_get(context=request.console, batch_id=batch_id)
    rows = ShipBatchRowFilter(request.GET, queryset=selectors.ship_batch_rows(batch=shown))
    result = chosen(rows, "result", "")
    page = numbered_page(request, rows.qs, ROWS_SIZE)
    for row in page:
        row.tone = RESULT_TONES[row.result]
    counts = selectors.ship_batch_result_counts(batch=shown)
    return render(
        request,
        "logistics/batch/detail.html",
        {
            "batch": shown,
            "page": page,
            "result": result,
            "results": [
                (value, label, counts[value], RESULT_TONES[value])
                for value, label in ShipBatchRowResult.choices
                if counts[value] or value == result
            ],
            "ready_count": counts[ShipBatchRowResult.READY],
            "earlier": selectors.ship_batch_earlier_upload(batch=shown),
            "progress": selectors.ship_batch_progress(shown),
            "running": shown.status in RUNNING,
            "runs_in_background": shown.total_rows > inline_max_rows(),
            "tab": "batch",
        },
    )


@ship_view
@require_POST
def batch_confirm(request, batch_id: int):
    shown = selectors.ship_batch_get(context=request.console, batch_id=batch_id)
    ran, confirmed = run_service(
        request, lambda: ship_batch_confirm(context=request.console, batch_id=shown.pk)
    )
    if ran:
        confirmed.refresh_from_db()
        if confirmed.status in RUNNING:
            messages.info(request, _("已开始发货，可以离开本页，稍后在批量发货列表里查看结果。"))
        elif confirmed.status == ShipBatchStatus.DONE:
            messages.success(
                request,
                _("发货完成：成功 %(shipped)s 行，已发过 %(skipped)s 行，失败 %(failed)s 行。")
                % {
                    "shipped": confirmed.shipped_rows,
                    "skipped": confirmed.skipped_rows,
                    "failed": confirmed.failed_rows,
                },
            )
        else:
            messages.error(request, confirmed.error)
    return redirect("logistics:batch_detail", batch_id=shown.pk)


@ship_view
def batch_progress(request, batch_id: int):
    """The progress bar, polled by htmx while the batch runs; once it has finished the
    whole page reloads to show every row's result."""
    shown = selectors.ship_batch_get(context=request.console, batch_id=batch_id)
    running = shown.status in RUNNING
    response = render(
        request,
        "logistics/batch/_progress.html",
        {"batch": shown, "progress": selectors.ship_batch_progress(shown), "running": running},
    )
    if request.headers.get("HX-Request") and not running:
        response["HX-Refresh"] = "true"
    return response


@ship_view
def batch_template(request, fmt: str):
    fmt = _fmt(fmt)
    return _download(selectors.ship_batch_template(fmt), fmt, f"批量发货模板.{fmt}")


@ship_view
def batch_to_ship(request, fmt: str):
    """下载待发货订单 (the order list's filter from the query string)."""
    fmt = _fmt(fmt)
    params = params_of(request.GET)
    content, _rows = selectors.ship_batch_to_ship(context=request.console, params=params, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(content, fmt, f"待发货订单-{stamp}.{fmt}")


@ship_view
def batch_report(request, batch_id: int, fmt: str):
    fmt = _fmt(fmt)
    shown = selectors.ship_batch_get(context=request.console, batch_id=batch_id)
    return _download(
        selectors.ship_batch_report(batch=shown, fmt=fmt),
        fmt,
        selectors.report_file_name(shown, fmt),
    )
