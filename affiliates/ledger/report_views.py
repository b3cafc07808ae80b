"""Console: a creator uploads a 淘宝联盟 / 京东联盟 report, sees the preview, confirms.

The previewed file waits in storage (`report_stash`, its path in the session) until it
is confirmed, so the confirm imports exactly the file that was previewed."""

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.views import run_service
from shops.tenancy import ContextKind
from shops.views import console_view

from .models import IncomeSource
from .report_import import (
    MAX_BYTES,
    ReportRejected,
    report_import,
    report_preview,
    report_stash,
)

SESSION_KEY = "affiliate_report"


class ReportForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("报表来源"),
        choices=[
            (IncomeSource.TAOBAO, IncomeSource.TAOBAO.label),
            (IncomeSource.JD, IncomeSource.JD.label),
        ],
    )
    file = forms.FileField(
        label=gettext_lazy("订单报表"),
        help_text=gettext_lazy(
            "从联盟后台下载的订单明细：CSV（GBK 或 UTF-8）或 XLSX，不超过 10 MB。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload


@console_view(ContextKind.CREATOR)
def report_upload(request):
    creator = request.console.creator
    form = ReportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload, source = form.cleaned_data["file"], form.cleaned_data["source"]
        content = upload.read()
        ran, preview = run_service(
            request,
            lambda: report_preview(creator=creator, source=source, content=content),
            form=form,
            field="file",
        )
        if ran:
            request.session[SESSION_KEY] = report_stash(creator.pk, source, content, upload.name)
    return render(
        request,
        "affiliates/ledger/report_import.html",
        {"form": form, "preview": preview, "tab": "reports"},
    )


@console_view(ContextKind.CREATOR)
@require_POST
def report_confirm(request):
    creator = request.console.creator
    stashed = request.session.pop(SESSION_KEY, None)
    if not stashed or stashed.get("creator_id") != creator.pk:
        messages.error(request, _("没有待确认的报表，请重新上传。"))
        return redirect("affiliates:income_reports")
    try:
        with default_storage.open(stashed["path"], "rb") as handle:
            content = handle.read()
        outcome = report_import(
            creator=creator, source=stashed["source"], content=content, actor=request.user
        )
    except ReportRejected as exc:
        messages.error(request, exc.message)
        return redirect("affiliates:income_reports")
    except (DomainError, OSError):
        messages.error(request, _("报表已失效，请重新上传。"))
        return redirect("affiliates:income_reports")
    finally:
        default_storage.delete(stashed["path"])
    messages.success(
        request,
        _("导入完成：新增 %(new)s 单，更新 %(updated)s 单，无变化 %(unchanged)s 单。")
        % outcome.as_json(),
    )
    return redirect(f"{reverse('affiliates:income_entries')}?source={stashed['source']}")
