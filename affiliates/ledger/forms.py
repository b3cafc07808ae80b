from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pagination import PAGE_SIZES

from .models import IncomeSource, IncomeState, SettlementState

# The browser's date picker wants ISO dates whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

STATE_CHOICES = [("", _("全部状态")), *IncomeState.choices]


class DateRangeMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class EntryFilterForm(DateRangeMixin, forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=STATE_CHOICES, required=False)
    source = forms.ChoiceField(
        label=_("来源"), choices=[("", _("全部来源")), *IncomeSource.choices], required=False
    )
    start = forms.DateField(label=_("下单日期从"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    order_no = forms.CharField(label=_("订单编号"), max_length=40, required=False)
    product = forms.CharField(label=_("商品"), max_length=60, required=False)
    size = forms.TypedChoiceField(
        label=_("每页"), choices=[(n, n) for n in PAGE_SIZES], coerce=int, required=False
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data["state"],
            "source": data["source"],
            "start": data["start"],
            "end": data["end"],
            "order_no": data["order_no"].strip(),
            "product": data["product"].strip(),
        }


class ChartPeriodForm(DateRangeMixin, forms.Form):
    """The chart's period: the last 30 days unless chosen (at most a year)."""

    start = forms.DateField(label=_("从"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)

    def period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=29)
        return max(start, end - timedelta(days=365)), end


class WithdrawalForm(forms.Form):
    amount = forms.DecimalField(
        label=_("提现金额（元）"), min_value=0.01, max_digits=12, decimal_places=2
    )
    account = forms.CharField(
        label=_("收款账户"), max_length=60, help_text=_("支付宝账号或银行卡号")
    )


PERIODS = (
    ("today", _("今日")),
    ("7d", _("近 7 天")),
    ("30d", _("近 30 天")),
    ("custom", _("自定义")),
)


class SettlementFilterForm(DateRangeMixin, forms.Form):
    period = forms.ChoiceField(label=_("时间"), choices=PERIODS, required=False)
    start = forms.DateField(label=_("支付日期从"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    state = forms.TypedChoiceField(
        label=_("结算状态"),
        choices=[("", _("全部状态")), *SettlementState.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        period = data.get("period") or "30d"
        if period == "custom":
            start, end = data.get("start"), data.get("end")
        else:
            days = {"today": 0, "7d": 6, "30d": 29}[period]
            start, end = today - timedelta(days=days), today
        return {"start": start, "end": end, "state": data.get("state")}
