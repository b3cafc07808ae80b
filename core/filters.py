"""What every list's django-filter `FilterSet` shares (orders, logistics, products,
affiliates): one FilterSet per list serves the console page and the API."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone


def day_start(day) -> datetime:
    """Midnight of `day` in the console's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_filter(label, field, *, until=False):
    """A whole local day bound on the column itself (not on its date), so indexes apply:
    from the start of the day, or (`until`) up to the end of it."""

    def method(queryset, name, day):
        if until:
            return queryset.filter(**{f"{field}__lt": day_start(day + timedelta(days=1))})
        return queryset.filter(**{f"{field}__gte": day_start(day)})

    return django_filters.DateFilter(
        label=label, method=method, widget=forms.DateInput(attrs={"type": "date"})
    )


class FlagInput(forms.CheckboxInput):
    """A yes/no filter: the console's ticked box ("on") and the API's `1` / `true` are yes,
    anything else no."""

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).lower() in ("on", "1", "true")


def chosen(filterset, name: str, default=None):
    """What one filter of a bound FilterSet was given (a page marks its active tab with it);
    `default` when it was empty or not valid."""
    filterset.is_valid()
    value = getattr(filterset.form, "cleaned_data", {}).get(name)
    return default if value in (None, "") else value
