from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventType


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("推送地址"),
        max_length=500,
        assume_scheme="https",
        help_text=_("接收 POST 请求的 http(s) 地址，须为公网地址。"),
    )
    events = forms.MultipleChoiceField(
        label=_("订阅事件"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=EventType.values,
    )
