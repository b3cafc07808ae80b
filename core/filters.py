"""What every list's django-filter `FilterSet` shares (orders, logistics, products,
affiliates): one FilterSet per list serves the console page and the API."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from .bounds import MAX_ID


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


def day_range(field, label_from, label_to):
    """The pair of day filters of one column: from the start of a day, up to the end of
    another (下单时间从 … 至 …)."""
    return day_filter(label_from, field), day_filter(label_to, field, until=True)


def id_filter(label, field_name: str):
    """A filter by one row id (`?product=12`): a whole number in the ids' range, so a
    typo is a form error, never a database error."""
    return django_filters.NumberFilter(
        label=label, field_name=field_name, min_value=0, max_value=MAX_ID, decimal_places=0
    )


def search_filter(label, search, **options):
    """A free-text search box: `search(queryset, text)` with the text stripped; a blank
    one keeps every row. `options` are CharFilter's (max_length, widget)."""

    def method(queryset, name, value):
        text = value.strip()
        return search(queryset, text) if text else queryset

    return django_filters.CharFilter(label=label, method=method, **options)


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
