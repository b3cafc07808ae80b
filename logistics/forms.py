from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import carriers_active


class CarrierField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=carriers_active(),
            label=_("快递公司"),
            empty_label=_("请选择快递公司"),
            error_messages={"required": _("请选择快递公司。")},
            **kwargs,
        )


def tracking_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("快递单号"),
        max_length=60,
        error_messages={"required": _("请填写快递单号。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        **kwargs,
    )


def carrier_choices() -> list:
    """The carrier options, read once for a page with many carrier selects."""
    return [("", _("请选择快递公司")), *((c.pk, c.name) for c in carriers_active())]


class ShipForm(forms.Form):
    """One parcel: carrier and tracking number."""

    carrier = CarrierField()
    tracking_no = tracking_field()

    def __init__(self, *args, shared_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if shared_choices is not None:
            self.fields["carrier"].choices = shared_choices

    def parcel(self) -> dict:
        """The services' `carrier` and `tracking_no` arguments."""
        return {
            "carrier": self.cleaned_data["carrier"],
            "tracking_no": self.cleaned_data["tracking_no"],
        }


class OrderShipForm(ShipForm):
    """One order from its detail page: a quantity per item still owed (partial shipping
    leaves some at less than what is owed)."""

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.owed = [item for item in order.items.all() if item.quantity_to_ship]
        for item in self.owed:
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                label=item.product_title,
                min_value=0,
                max_value=item.quantity_to_ship,
                initial=item.quantity_to_ship,
            )

    def item_rows(self):
        return [(item, self[f"qty_{item.pk}"]) for item in self.owed]

    def quantities(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data.get(f"qty_{item.pk}") or 0 for item in self.owed}


class MergeShipForm(ShipForm):
    order_ids = forms.TypedMultipleChoiceField(coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id passes here; the service refuses another shop's orders (404).
        self.fields["order_ids"].valid_value = lambda value: str(value).isdigit()


class MultiShipForm(forms.Form):
    """The order list's 批量发货: a carrier and a tracking number per selected order."""

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.orders = orders
        choices = carrier_choices()
        for order in orders:
            self.fields[f"carrier_{order.pk}"] = CarrierField()
            self.fields[f"carrier_{order.pk}"].choices = choices
            self.fields[f"tracking_{order.pk}"] = tracking_field()

    def rows(self):
        return [
            (order, self[f"carrier_{order.pk}"], self[f"tracking_{order.pk}"])
            for order in self.orders
        ]

    def entries(self):
        return [
            (
                order.pk,
                self.cleaned_data[f"carrier_{order.pk}"],
                self.cleaned_data[f"tracking_{order.pk}"],
            )
            for order in self.orders
        ]
