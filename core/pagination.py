"""Pages and counts for lists of a million rows: keyset pages on (sort key, id), never
OFFSET; capped counts over a LIMIT, never a full COUNT(*)."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q

# Counts stop here (a tab shows "999+"): each reads at most this many index entries.
COUNT_CAP = 1_000
PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class CappedCount:
    value: int

    @property
    def capped(self) -> bool:
        return self.value >= COUNT_CAP

    def __str__(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.capped else str(self.value)


def capped_counts(querysets: dict[str, object], *, sums=None) -> dict[str, CappedCount]:
    """Count each queryset up to COUNT_CAP rows, all in one SQL statement; `sums`
    ({key: (queryset, expression)}) adds the sum of the expression over each queryset
    to the same statement (a plain number, 0 for none)."""
    sums = sums or {}
    if not querysets and not sums:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        sql, sub_params = queryset.order_by().values("pk")[:COUNT_CAP].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(sub_params)
    for queryset, expression in sums.values():
        summed = queryset.order_by().annotate(summed_=expression).values("summed_")
        sql, sub_params = summed.query.sql_with_params()
        parts.append(f"(SELECT COALESCE(SUM(summed_), 0) FROM ({sql}) AS summed)")
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    counted = len(querysets)
    counts = {key: CappedCount(value) for key, value in zip(querysets, row[:counted], strict=True)}
    counts.update(zip(sums, row[counted:], strict=True))
    return counts


# --- keyset pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool
    # Rows without the field (e.g. unpaid orders have no pay time) are not in this order.
    nullable: bool = False


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


class BadCursor(ValueError):
    pass


def _encode(direction: str, value: datetime, pk: int) -> str:
    raw = json.dumps([direction, value.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, value, pk = json.loads(raw)
        if direction not in ("n", "p"):
            raise ValueError(direction)
        return direction, datetime.fromisoformat(value), int(pk)
    except (ValueError, TypeError) as exc:
        raise BadCursor(cursor) from exc


def _beyond(sort: Sort, value, pk: int, forward: bool) -> Q:
    """Rows after (value, pk) in the walking direction. The first, redundant bound lets
    PostgreSQL start the index scan at the cursor instead of filtering from the top."""
    before = sort.descending == forward  # walking towards smaller values
    op, strict = ("lte", "lt") if before else ("gte", "gt")
    return Q(**{f"{sort.field}__{op}": value}) & (
        Q(**{f"{sort.field}__{strict}": value}) | Q(**{sort.field: value, f"pk__{strict}": pk})
    )


def keyset_page(queryset, *, sort: Sort, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in `sort` order, after or before `cursor`.

    Raises BadCursor for a cursor that was not made here.
    """
    if sort.nullable:
        queryset = queryset.filter(**{f"{sort.field}__isnull": False})
    direction, value, pk = _decode(cursor) if cursor else ("n", None, None)
    forward = direction == "n"
    ordering = [sort.field, "pk"] if sort.descending != forward else [f"-{sort.field}", "-pk"]
    if value is not None:
        queryset = queryset.filter(_beyond(sort, value, pk, forward))
    rows = list(queryset.order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    first, last = rows[0], rows[-1]
    has_next = more if forward else True
    has_previous = (value is not None) if forward else more
    return KeysetPage(
        rows,
        _encode("n", getattr(last, sort.field), last.pk) if has_next else None,
        _encode("p", getattr(first, sort.field), first.pk) if has_previous else None,
    )
