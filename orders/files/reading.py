"""Reading an order file row by row through the column declaration: which column is
where (aliases, then the shop's import template), each cell cleaned by its kind, each
bad cell named by spreadsheet row and column. Nothing here touches the database."""

import hashlib
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import (
    FileRejected,
    clean_cell,
    clean_cells,
    column_letter,
    header_key,
    parse_datetime,
    parse_fen,
    parse_int,
    read_table,
)

from ..models import Order, OrderItem
from .columns import (
    BY_KEY,
    CHOICE,
    COLUMNS,
    FEN,
    HEADER_LOOKUP,
    INT,
    NONE_WORD,
    ORDER,
    REQUIRED,
    TEXT,
    TIME,
    OrderColumn,
)

# What a row holds besides the declared columns.
ROW_NUMBER = "row_no"
MASKED = "receiver_masked"
# The row is its order's first in the file: its order-level cells are the order's.
FIRST_OF_ORDER = "first_of_order"
# A cleaned row, in this order: as the staging table's COPY takes it, no dict per row.
ROW_FIELDS = [ROW_NUMBER, *(c.key for c in COLUMNS), MASKED, FIRST_OF_ORDER]
SLOT = {name: slot for slot, name in enumerate(ROW_FIELDS)}
ITEM_NO = SLOT["item_no"]
MAX_ISSUES_LISTED = 500


@dataclass
class Issue:
    row: int
    column: str
    message: str

    def __str__(self):
        where = _("第 %(row)s 行") % {"row": self.row} if self.row else ""
        return f"{where} {self.column}：{self.message}".strip()


@dataclass
class Layout:
    """Where each declared column sits in the file."""

    positions: dict[str, int]  # column key → index
    header: list[str]
    unknown: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[OrderColumn]:
        return [BY_KEY[key] for key in self.positions]


def headers_signature(header) -> str:
    """The set of a file's headers, for finding its import template again."""
    keys = sorted({header_key(h) for h in header if clean_cell(h)})
    return hashlib.sha1("|".join(keys).encode()).hexdigest()


def _is_header(mapping):
    mapped = {header_key(h) for h in mapping}

    def check(cells) -> bool:
        keys = [header_key(c) for c in cells]
        return sum(1 for k in keys if k in HEADER_LOOKUP or k in mapped) >= 3

    return check


def open_file(source, *, mapping: dict | None = None):
    """(Layout, data rows iterator) or FileRejected. `mapping`: file header → column key
    for headers the declaration does not know (an import template)."""
    mapping = mapping or {}
    mapped = {header_key(h): BY_KEY[k] for h, k in mapping.items() if k in BY_KEY}
    table = read_table(source, is_header=_is_header(mapping))
    positions: dict[str, int] = {}
    header = [clean_cell(c) for c in table.header]
    unknown = []
    for index, text in enumerate(header):
        if not text:
            continue
        column = mapped.get(header_key(text)) or HEADER_LOOKUP.get(header_key(text))
        if column is None:
            unknown.append(text)
        elif column.key not in positions:
            positions[column.key] = index
    layout = Layout(positions=positions, header=header, unknown=unknown)
    missing = [c.header for c in REQUIRED if c.key not in positions]
    if missing:
        raise FileRejected(
            _("缺少必填列：%(missing)s。") % {"missing": "、".join(missing)}
            + (
                _("未识别的列：%(unknown)s，可在导入模板中对应。")
                % {"unknown": "、".join(unknown[:20])}
                if unknown
                else ""
            ),
            fields={"missing": missing, "unknown": unknown},
        )
    return layout, table.rows


def _limits() -> dict[str, int]:
    limits = {}
    for model in (Order, OrderItem):
        for f in model._meta.fields:
            if getattr(f, "max_length", None):
                limits[f.name] = f.max_length
    return limits


LIMITS = _limits()


def _is_masked(text: str) -> bool:
    return "*" in text or text.startswith(("##", "$$"))


class RowCleaner:
    """Turns raw cells into the stored values in `ROW_FIELDS` order (a column the file
    lacks is None); `errors` collects what is wrong, with row and column.

    An order's later rows repeat its order-level cells (运费, 收件人, the times…), and only
    its first row's are stored. A later row that repeats them exactly is not cleaned
    again: they were clean on the first row, and stay None in its values. One that says
    otherwise is cleaned, so a bad cell is still reported on the row it is on."""

    def __init__(self, layout: Layout):
        self.layout = layout
        # What each cell needs, looked up once: the loop below runs for every cell.
        self.plan = [
            (
                column.kind,
                SLOT[key],
                index,
                f"{column_letter(index)}列（{layout.header[index]}）",
                column.required,
                LIMITS.get(column.target),
                column.codes() if column.kind == CHOICE else column.mask,
            )
            for key, index in layout.positions.items()
            for column in (BY_KEY[key],)
        ]
        order_level = [k for k in layout.positions if BY_KEY[k].level == ORDER and k != "order_no"]
        self.order_cells = [layout.positions[key] for key in order_level]
        self.repeat_plan = [step for step in self.plan if ROW_FIELDS[step[1]] not in order_level]
        self.order_no_cell = layout.positions["order_no"]
        self.width = max(layout.positions.values(), default=-1) + 1
        self.zone = timezone.get_current_timezone()
        self.errors: list[Issue] = []
        self.error_count = 0
        self.item_numbers: set[str] = set()
        # 主订单编号 → the hash of its first clean row's order-level cells.
        self.orders: dict[str, int] = {}

    def _error(self, row, where, message):
        self.error_count += 1
        if len(self.errors) < MAX_ISSUES_LISTED:
            self.errors.append(Issue(row, where, message))

    def clean(self, number: int, cells: list) -> list | None:
        values = [None] * len(ROW_FIELDS)
        values[0] = number
        ok = True
        texts = clean_cells(cells)
        if len(texts) < self.width:  # a short row: its missing cells are empty
            texts += [""] * (self.width - len(texts))
        order_no = texts[self.order_no_cell]
        signature = hash("\x00".join([texts[index] for index in self.order_cells]))
        first = order_no not in self.orders
        repeated = not first and self.orders[order_no] == signature
        masked = False
        for kind, slot, index, where, required, limit, extra in (
            self.repeat_plan if repeated else self.plan
        ):
            text = texts[index]
            if not text or (text == NONE_WORD and kind != TEXT):
                if required:
                    self._error(number, where, _("不能为空。"))
                    ok = False
                continue
            if kind == TEXT:
                value = text
                if limit and len(text) > limit:
                    self._error(number, where, _("超过 %(n)s 个字。") % {"n": limit})
                    ok = False
                if extra and _is_masked(text):  # a receiver column (`mask`)
                    masked = True
            elif kind == FEN:
                value = parse_fen(text)
                if value is None or value < 0:
                    self._error(
                        number, where, _("“%(v)s”不是金额（元，最多两位小数）。") % {"v": text}
                    )
                    ok = False
            elif kind == INT:
                value = parse_int(text)
                if not value:
                    self._error(number, where, _("“%(v)s”不是正整数。") % {"v": text})
                    ok = False
            elif kind == TIME:
                # An XLSX date cell is parsed as the date it is, not as its text.
                cell = cells[index]
                value = parse_datetime(text if cell.__class__ is str else cell, zone=self.zone)
                if value is None:
                    self._error(
                        number, where,
                        _("“%(v)s”不是时间，应写成 2026-11-01 12:00:00。") % {"v": text},
                    )  # fmt: skip
                    ok = False
            elif kind == CHOICE:
                value = extra.get(text)  # the column's codes
                if value is None:
                    self._error(number, where, _("无法识别“%(v)s”。") % {"v": text})
                    ok = False
            else:  # ID
                value = text
                if not text.isdigit() or len(text) > limit:
                    self._error(
                        number, where,
                        _("“%(v)s”应为不超过 %(n)s 位的数字编号。") % {"v": text, "n": limit},
                    )  # fmt: skip
                    ok = False
            values[slot] = value
        if not ok:
            return None
        if values[ITEM_NO] in self.item_numbers:
            self._error(number, "子订单编号", _("与前面的行重复。"))
            return None
        self.item_numbers.add(values[ITEM_NO])
        if first:
            self.orders[order_no] = signature
        values[SLOT[MASKED]] = masked
        values[SLOT[FIRST_OF_ORDER]] = first
        return values
