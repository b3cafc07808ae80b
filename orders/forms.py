"""Buyer-side forms: checkout, payment, after-sale request and return shipment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import fen_to_yuan, yuan_to_fen
from shops.models import phone_validator

from .aftersales import refundable_fen
from .models import RECEIVER_KEYS, AfterSaleType, PayMethod
from .regions import PROVINCE_CHOICES
from .rules import aftersale_types_open
from .services import MAX_LINE_QUANTITY

BUYER_PAY_METHODS = [
    (PayMethod.DOUYIN_PAY, PayMethod.DOUYIN_PAY.label),
    (PayMethod.WECHAT, PayMethod.WECHAT.label),
    (PayMethod.ALIPAY, PayMethod.ALIPAY.label),
]
AFTERSALE_REASONS = [
    (r, r)
    for r in (
        _("不想要了"),
        _("拍错/多拍"),
        _("商品质量问题"),
        _("少件/漏发"),
        _("与商品描述不符"),
        _("发货太慢"),
        _("其他"),
    )
]


class CheckoutForm(forms.Form):
    sku = forms.TypedChoiceField(label=_("规格"), coerce=int, widget=forms.RadioSelect)
    quantity = forms.IntegerField(
        label=_("数量"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1
    )
    receiver_name = forms.CharField(label=_("收件人"), max_length=30)
    receiver_phone = forms.CharField(label=_("手机号"), max_length=11, validators=[phone_validator])
    receiver_province = forms.ChoiceField(
        label=_("省"), choices=[("", _("请选择")), *PROVINCE_CHOICES]
    )
    receiver_city = forms.CharField(label=_("市"), max_length=20)
    receiver_district = forms.CharField(label=_("区/县"), max_length=20)
    receiver_street = forms.CharField(label=_("街道"), max_length=40, required=False)
    receiver_detail = forms.CharField(label=_("详细地址"), max_length=120)
    buyer_words = forms.CharField(
        label=_("买家留言"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("选填，给商家的留言")}),
    )

    def __init__(self, *args, skus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].choices = [
            (
                sku.pk,
                f"{sku.spec_label} · ¥{fen_to_yuan(sku.price_fen)}"
                + ("" if sku.stock else f" · {_('已售罄')}"),
            )
            for sku in skus
        ]
        if len(skus) == 1:
            self.fields["sku"].initial = skus[0].pk

    @property
    def receiver(self) -> dict:
        data = self.cleaned_data
        return {key: data[f"receiver_{key}"] for key in RECEIVER_KEYS}


class PayForm(forms.Form):
    pay_method = forms.TypedChoiceField(
        label=_("支付方式"),
        coerce=int,
        choices=BUYER_PAY_METHODS,
        initial=PayMethod.DOUYIN_PAY,
        widget=forms.RadioSelect,
    )


class ItemSelect(forms.Select):
    """Each item option carries what buyer.js needs: the types the item allows, what is
    still refundable (yuan) and how many units that covers."""

    facts: dict = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.facts.get(value, {}))
        return option


class AfterSaleForm(forms.Form):
    item = forms.TypedChoiceField(label=_("商品"), coerce=int, widget=ItemSelect)
    type = forms.TypedChoiceField(label=_("售后类型"), coerce=int, choices=AfterSaleType.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    amount = forms.CharField(
        label=_("退款金额（元）"),
        required=False,
        help_text=_("换货无需填写"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reason = forms.ChoiceField(label=_("售后原因"), choices=AFTERSALE_REASONS)
    description = forms.CharField(
        label=_("问题描述"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            (item.pk, f"{item.product_title} {item.spec_text}".strip()) for item in items
        ]
        # Only the types the order's state allows, and the refundable amount filled in.
        allowed = {item.pk: aftersale_types_open(item) for item in items}
        self.fields["type"].choices = [
            (value, label)
            for value, label in AfterSaleType.choices
            if any(value in types for types in allowed.values())
        ]
        self.fields["item"].widget.facts = {
            item.pk: {
                "data-types": " ".join(str(t) for t in allowed[item.pk]),
                "data-refundable": fen_to_yuan(refundable_fen(item)),
                "data-units": item.quantity - item.refunded_quantity,
            }
            for item in items
        }
        if items and allowed[items[0].pk]:
            first = items[0]
            self.initial.setdefault("type", allowed[first.pk][0])
            self.initial.setdefault("quantity", first.quantity - first.refunded_quantity)
            self.initial.setdefault("amount", fen_to_yuan(refundable_fen(first)))

    def clean_amount(self) -> int:
        raw = (self.cleaned_data.get("amount") or "").strip()
        if not raw:
            return 0
        fen = yuan_to_fen(raw)
        if fen is None or fen < 0:
            raise forms.ValidationError(_("请输入金额，如 12.90（最多两位小数）。"))
        return fen


class ReturnShipmentForm(forms.Form):
    carrier = forms.CharField(label=_("退货快递公司"), max_length=30)
    tracking_no = forms.CharField(label=_("退货运单号"), max_length=40)
