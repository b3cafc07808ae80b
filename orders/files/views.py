"""Console pages of orders as files: 订单导出 (from the order list's filter), 导出记录
with progress and downloads, 订单导入 (upload → preview → mapping → confirm) and
每日定时导出. Thin callers of orders.files.services / jobs / selectors."""

from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import (
    button,
    numbered_page,
    render_form,
    run_form,
    run_service,
    submit,
    upload_page,
)
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from . import jobs, selectors, services
from .columns import COLUMNS
from .export import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, filtered_orders
from .forms import ALL_KEYS, ExportForm, ImportUploadForm, ScheduleForm, params_of
from .models import FileJobStatus

LIST_SIZE = 20
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
shop_view = console_view(ContextKind.SHOP)
import_view = console_view(ContextKind.SHOP, perm=Perm.ORDER_REMARK)


def _download(record):
    if record.status != FileJobStatus.DONE or not record.file:
        raise Http404
    response = FileResponse(record.file.open("rb"), content_type=CONTENT_TYPES[record.format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(record.file_name)}"
    return response


def _filter_query(request) -> str:
    """The order list's filter and tab, without paging (what the export covers)."""
    query = request.GET.copy()
    for key in ("cursor", "size", "sort", "template"):
        query.pop(key, None)
    return query.urlencode()


@shop_view
def export_new(request):
    """导出: the columns, view and format of an export of the list's current filter."""
    context = request.console
    query = request.POST.get("query", "") if request.method == "POST" else _filter_query(request)
    params = params_of(query)
    templates = list(selectors.export_templates(context=context))
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("template")), None)
    initial = {"columns": chosen.columns, "by": chosen.by} if chosen else {"columns": ALL_KEYS}
    form = ExportForm(request.POST or None, initial=initial)
    can_reveal = context.has_perm(Perm.RECEIVER_REVEAL)
    if not can_reveal:
        del form.fields["unmasked"]

    def export(data):
        if data["template_name"]:
            services.export_template_save(
                context=context, name=data["template_name"], by=data["by"],
                columns=data["columns"],
            )  # fmt: skip
        return services.export_start(
            context=context, params=params, by=data["by"], fmt=data["fmt"],
            columns=data["columns"], unmasked=data.get("unmasked", False),
        )  # fmt: skip

    ran, record = run_form(request, form, export)
    if ran:
        if record.status == FileJobStatus.DONE:
            return _download(record)
        if record.status == FileJobStatus.FAILED:
            messages.error(request, record.error)
            return redirect("orders:files:exports")
        messages.info(
            request, _("导出文件较大，已在后台生成，可以离开本页，稍后在导出记录中下载。")
        )
        return redirect("orders:files:export_detail", export_id=record.pk)
    return render_form(
        request,
        "orders/files/export.html",
        form,
        {
            "query": query,
            "filter_text": services.filter_text(params),
            "order_count": filtered_orders(context=context, params=params).count(),
            "templates": templates,
            "chosen": chosen,
            "can_reveal": can_reveal,
            "inline_max": services.inline_max_rows(),
        },
    )


@shop_view
@require_POST
def export_template_delete(request, template_id: int):
    run_service(
        request,
        lambda: services.export_template_delete(context=request.console, template_id=template_id),
        success=_("导出模板已删除。"),
    )
    return redirect(f"{reverse('orders:files:export')}?{request.POST.get('query', '')}")


@shop_view
def export_list(request):
    """导出记录: the shop's exports of the last 7 days."""
    page = numbered_page(request, selectors.export_list(context=request.console), LIST_SIZE)
    return render(
        request,
        "orders/files/exports.html",
        {"page": page, "running": selectors.RUNNING, "keep_days": services.KEEP_DAYS},
    )


def _progress_bar(request, template: str, state: dict):
    """A job's progress bar, polled by htmx while the job runs; once it has finished,
    the page reloads to show the outcome."""
    response = render(request, template, state)
    if request.headers.get("HX-Request") and not state["running"]:
        response["HX-Refresh"] = "true"
    return response


def _export_state(record) -> dict:
    """What an export's page and its progress bar (included there) show."""
    return {"record": record, "running": record.status in selectors.RUNNING}


@shop_view
def export_detail(request, export_id: int):
    record = selectors.export_get(context=request.console, export_id=export_id)
    return render(request, "orders/files/export_detail.html", _export_state(record))


@shop_view
def export_progress(request, export_id: int):
    record = selectors.export_get(context=request.console, export_id=export_id)
    return _progress_bar(request, "orders/files/_export_progress.html", _export_state(record))


@shop_view
def export_download(request, export_id: int):
    return _download(selectors.export_get(context=request.console, export_id=export_id))


# --- 每日定时导出 ------------------------------------------------------------------------


@shop_view
def schedule_list(request):
    context = request.console
    templates = list(selectors.export_templates(context=context))
    initial = {"query": _filter_query(request), "at_time": "08:00"}
    form = ScheduleForm(request.POST or None, templates=templates, initial=initial)

    def create(data):
        template = next((t for t in templates if t.pk == data["template"]), None)
        return services.export_schedule_create(
            context=context, name=data["name"], params=params_of(data["query"]),
            by=data["by"], columns=template.columns if template else (), fmt=data["fmt"],
            at_time=data["at_time"],
        )  # fmt: skip

    done = submit(
        request,
        form,
        create,
        success=_("已创建定时导出，每天到点生成的文件会出现在导出记录中。"),
        to="orders:files:schedules",
    )
    if done:
        return done
    query = form["query"].value() or ""
    return render_form(
        request,
        "orders/files/schedules.html",
        form,
        {
            "filter_text": services.filter_text(params_of(query)),
            "schedules": selectors.export_schedules(context=context),
        },
    )


schedule_delete = shop_view(
    button(
        services.export_schedule_delete,
        success=gettext_lazy("定时导出已删除。"),
        to="orders:files:schedules",
    )
)


# --- 订单导入 ----------------------------------------------------------------------------


@import_view
def import_list(request):
    context = request.console
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    return upload_page(
        request,
        form,
        lambda data: jobs.import_upload(context=context, upload=data["file"]),
        to=lambda job: reverse("orders:files:import_detail", args=[job.pk]),
        jobs=selectors.import_list(context=context),
        size=LIST_SIZE,
        template="orders/files/imports.html",
        context={"inline_max": jobs.INLINE_MAX_ROWS},
    )


def _mapping_rows(job):
    """Each unrecognised header with the column it is mapped to (if any)."""
    unknown = job.summary.get("unknown_headers") or job.summary.get("unknown") or []
    return [{"header": h, "key": job.mapping.get(h, "")} for h in unknown]


def _import_state(job) -> dict:
    """What an import's page and its progress bar (included there) show."""
    return {
        "job": job,
        "running": job.status in selectors.RUNNING,
        "progress": selectors.import_progress(job),
    }


@import_view
def import_detail(request, import_id: int):
    job = selectors.import_get(context=request.console, import_id=import_id)
    return render(
        request,
        "orders/files/import_detail.html",
        {
            **_import_state(job),
            "summary": job.summary,
            "mapping_rows": _mapping_rows(job),
            "columns": COLUMNS,
            "runs_in_background": job.total > jobs.INLINE_MAX_ROWS,
        },
    )


@import_view
@require_POST
def import_mapping(request, import_id: int):
    headers = request.POST.getlist("header")
    keys = request.POST.getlist("key")
    run_service(
        request,
        lambda: jobs.import_set_mapping(
            context=request.console, import_id=import_id,
            mapping={h: k for h, k in zip(headers, keys, strict=False) if k},
            template_name=request.POST.get("template_name", ""),
        ),
    )  # fmt: skip
    return redirect("orders:files:import_detail", import_id=import_id)


@import_view
@require_POST
def import_confirm(request, import_id: int):
    ran, job = run_service(
        request, lambda: jobs.import_confirm(context=request.console, import_id=import_id)
    )
    if ran:
        if job.status == FileJobStatus.DONE:
            messages.success(request, _("导入完成。"))
        elif job.status in selectors.RUNNING:
            messages.info(request, _("已开始导入，可以离开本页，稍后回来查看进度。"))
        else:
            messages.error(request, job.error or _("导入失败。"))
    return redirect("orders:files:import_detail", import_id=import_id)


@import_view
def import_progress(request, import_id: int):
    job = selectors.import_get(context=request.console, import_id=import_id)
    return _progress_bar(request, "orders/files/_import_progress.html", _import_state(job))
