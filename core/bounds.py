"""How large a number people may type, in one place: forms, serializers, import
resources and services all bound their integers with these, so an amount, a quantity
or a stock figure is refused with a message naming the field long before PostgreSQL's
integer columns (at most 2,147,483,647) would overflow and answer 500."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _

from .exceptions import DomainError

# ¥10,000,000: one price, a shipping fee, a whole order's total. Two of them (goods
# + shipping, in a check constraint) still add up within PostgreSQL's integer.
MAX_FEN = 1_000_000_000
# Units of one SKU on one order line, shipped in one parcel, refunded at once.
MAX_QUANTITY = 99_999
# One SKU's stock, and what one adjustment may add or take away.
MAX_STOCK = 99_999_999
# A database id (PostgreSQL integer): anything larger names no row.
MAX_ID = 2_147_483_647


class OutOfRange(DomainError, code="out_of_range"):
    """A number outside the bounds a field allows (`require_range`'s default error)."""


def range_message(label, *, minimum: int, maximum: int) -> str:
    return _("%(label)s须在 %(min)s 到 %(max)s 之间。") % {
        "label": label,
        "min": f"{minimum:,}",
        "max": f"{maximum:,}",
    }


def require_range(
    value: int,
    *,
    field: str,
    label,
    maximum: int,
    minimum: int = 0,
    error_class: type[DomainError] = OutOfRange,
) -> int:
    """`value`, or `error_class` naming the field when it lies outside [minimum, maximum]:
    the services' own check, whoever called them."""
    if not minimum <= value <= maximum:
        message = range_message(label, minimum=minimum, maximum=maximum)
        raise error_class(message, fields={field: [message]})
    return value


def parse_int(text, *, maximum: int) -> int | None:
    """A whole number from 0 to `maximum` typed as ASCII digits ("12", not "-1", "1.5",
    "²" or a 5,000-digit string, which `str.isdigit` + `int` would choke on), else None."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def range_validators(*, maximum: int, minimum: int = 0) -> list:
    """Validators for a model or form field bounded like the services bound it."""
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]
