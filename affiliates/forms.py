from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RatePercentField(forms.DecimalField):
    """Typed as a percentage ("20" or "12.5"), cleaned to basis points."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("1"))
        kwargs.setdefault("max_value", Decimal("90"))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("help_text", _("1%–90%"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "0.5")

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else int(percent * 100)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OfferOpenForm(forms.Form):
    product = forms.ModelChoiceField(label=_("在售商品"), queryset=None)
    rate_bp = RatePercentField(label=_("佣金率（%）"))
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class OfferUpdateForm(forms.Form):
    rate_bp = RatePercentField(label=_("佣金率（%）"))
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)


class AddByLinkForm(forms.Form):
    text = forms.CharField(
        label=_("商品链接或淘口令"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _(
                    "粘贴淘宝/天猫、京东、考拉、唯品会、苏宁的商品链接，或整段淘口令，"
                    "如：复制这段描述￥AbCd1234567￥后到淘宝"
                ),
            }
        ),
    )


class ShowcaseCategoryForm(forms.Form):
    name = forms.CharField(label=_("分类名称"), max_length=12)


class VideoForm(forms.Form):
    title = forms.CharField(label=_("视频标题"), max_length=60)
    douyin_video_id = forms.RegexField(
        label=_("抖音视频ID"),
        regex=r"^\d{6,32}$",
        error_messages={"invalid": _("抖音视频ID 是一串数字，可在视频分享链接里找到。")},
    )
    published_at = forms.DateTimeField(label=_("发布时间"), widget=DateTimeInput)


class LiveForm(forms.Form):
    title = forms.CharField(label=_("直播标题"), max_length=60)
    starts_at = forms.DateTimeField(label=_("开播时间"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput)


class PickItemForm(forms.Form):
    item = forms.TypedChoiceField(label=_("橱窗商品"), coerce=int)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, i.display_title) for i in items]
