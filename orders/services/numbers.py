"""Order, child-order and after-sale numbers, as 抖店 shapes them."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone


def new_number() -> str:
    """A 19-digit number like 抖店's order ids: the day, then 13 random digits. The
    database keeps them unique per shop; a clash is retried (save_numbered)."""
    return timezone.localdate().strftime("%y%m%d") + f"{secrets.randbelow(10**13):013d}"


def save_numbered(instances, field: str, model) -> None:
    """Insert `instances` with fresh numbers in `field`, retrying the rare clash."""
    for attempt in range(5):
        for instance in instances:
            setattr(instance, field, new_number())
        try:
            with transaction.atomic():
                model.objects.bulk_create(instances)
            return
        except IntegrityError:
            if attempt == 4:
                raise
