"""Forms of the order-file pages: the export (columns, view, format), the daily
schedule, the import upload and the header mapping of a foreign file."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS
from .models import ExportBy, ExportFormat

COLUMN_CHOICES = [(c.key, c.header) for c in COLUMNS]
ALL_KEYS = [key for key, _header in COLUMN_CHOICES]


def params_of(query) -> dict:
    """The order list's filter from a query string (or QueryDict): one value per key,
    a list for the multi-valued status."""
    query = query if isinstance(query, QueryDict) else QueryDict(query or "")
    return {
        key: values if key == "status" else values[-1]
        for key, values in query.lists()
        if any(values)
    }


class ExportForm(forms.Form):
    by = forms.ChoiceField(
        label=_("导出维度"), choices=ExportBy.choices, initial=ExportBy.ITEM,
        widget=forms.RadioSelect,
    )  # fmt: skip
    fmt = forms.ChoiceField(
        label=_("文件格式"), choices=ExportFormat.choices, initial=ExportFormat.CSV,
        widget=forms.RadioSelect,
    )  # fmt: skip
    columns = forms.MultipleChoiceField(
        label=_("导出列"), choices=COLUMN_CHOICES, initial=ALL_KEYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一列。")},
    )  # fmt: skip
    unmasked = forms.BooleanField(
        label=_("导出完整收件人信息（会记录在订单日志中）"), required=False
    )
    template_name = forms.CharField(
        label=_("另存为导出模板"), max_length=40, required=False,
        help_text=_("填写名称即把所选列保存为本店的导出模板，下次一键套用。"),
    )  # fmt: skip


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=40)
    at_time = forms.TimeField(
        label=_("每日导出时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    by = forms.ChoiceField(label=_("导出维度"), choices=ExportBy.choices, initial=ExportBy.ITEM)
    fmt = forms.ChoiceField(label=_("文件格式"), choices=ExportFormat.choices)
    template = forms.TypedChoiceField(
        label=_("导出模板"), coerce=int, required=False, empty_value=None
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("全部列")), *((t.pk, t.name) for t in templates)]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("订单文件"),
        help_text=_("CSV（UTF-8 或 GBK）或 XLSX：本系统或抖店导出的订单文件，或其他平台的文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
