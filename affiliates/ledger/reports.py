"""淘宝联盟 and 京东联盟 order reports as creators download them, read into rows the
ledger can take (`affiliates.ledger.report_import` writes them).

Each union's format is declared once below: which headers name each field (real files
differ from version to version), which are required, and how status words map to the
ledger's states. Files are read by `core.tabular` (GBK/UTF-8±BOM/XLSX, title lines,
Excel's tabs and `="…"`), so every error names the spreadsheet's own row and column.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import tabular

from .models import CommissionState, IncomeSource

C = CommissionState
MAX_ROWS = 20_000


@dataclass(frozen=True)
class ReportFormat:
    source: str
    label: str
    # field -> the headers that name it, the preferred one first
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    # (status words, the ledger's state); a word ending in "-" matches as a prefix
    statuses: tuple[tuple[tuple[str, ...], int], ...]

    def state_for(self, word: str) -> int | None:
        word = word.strip()
        for words, state in self.statuses:
            for candidate in words:
                if word == candidate or (candidate.endswith("-") and word.startswith(candidate)):
                    return state
        return None

    def header_name(self, name: str) -> str:
        return self.columns[name][0]


TAOBAO = ReportFormat(
    source=IncomeSource.TAOBAO,
    label=gettext_lazy("淘宝联盟"),
    columns={
        "order_no": ("淘宝父订单编号", "父订单编号"),
        "line_no": ("淘宝子订单编号", "子订单编号", "淘宝订单编号"),
        "title": ("商品信息", "商品标题", "商品名称"),
        "quantity": ("商品数", "商品数量"),
        "base": ("付款金额",),
        "estimated": ("付款预估收入", "预估收入"),
        "settled": ("结算预估收入", "结算收入"),
        "rate": ("收入比率", "佣金比率"),
        "fee_rate": ("技术服务费比率",),
        "status": ("订单状态",),
        "ordered_at": ("创建时间", "下单时间"),
        "settled_at": ("结算时间",),
    },
    required=("line_no", "estimated", "status", "ordered_at"),
    statuses=(
        (("订单付款", "付款", "12"), C.ESTIMATED),
        (("订单成功", "成功", "14"), C.PENDING),
        (("订单结算", "结算", "3"), C.SETTLED),
        (("订单失效", "失效", "13"), C.INVALID),
    ),
)

JD = ReportFormat(
    source=IncomeSource.JD,
    label=gettext_lazy("京东联盟"),
    columns={
        "line_no": ("订单号",),
        "order_no": ("父单号",),
        "sku": ("SKU ID", "商品ID", "skuId"),
        "title": ("商品名称",),
        "quantity": ("商品数量",),
        "base": ("计佣金额", "实际计佣金额"),
        "estimated": ("预估佣金",),
        "settled": ("实际佣金",),
        "rate": ("佣金比例",),
        "share": ("分成比例",),
        "status": ("订单状态",),
        "ordered_at": ("下单时间",),
        "settled_at": ("完成时间",),
    },
    required=("line_no", "estimated", "status", "ordered_at"),
    statuses=(
        (("待付款", "已付款", "已付定金", "15", "16", "24"), C.ESTIMATED),
        (("已完成", "17"), C.PENDING),
        (("已结算",), C.SETTLED),
        (("无效-", "无效"), C.INVALID),
    ),
)

FORMATS = {fmt.source: fmt for fmt in (TAOBAO, JD)}


@dataclass
class CellError:
    row: int
    column: str  # "F 付款预估收入", or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        where = _("第 %(row)s 行") % {"row": self.row}
        if self.column:
            where += f" {self.column}"
        return f"{where}：{self.message}"


@dataclass
class ReportRow:
    row: int
    key: str  # the union's child order id: the upsert key with creator and source
    order_no: str
    title: str
    quantity: int
    base_fen: int
    estimated_fen: int
    settled_fen: int | None
    rate_bp: int
    fee_rate_bp: int
    state: int
    ordered_at: datetime
    settled_at: datetime | None

    @property
    def income_fen(self) -> int:
        """What the row says the creator earns in its state."""
        if self.state == C.SETTLED and self.settled_fen is not None:
            return self.settled_fen
        return self.estimated_fen


@dataclass
class ParsedReport:
    rows: list[ReportRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    total: int = 0


_header = tabular.header_key


def parse_percent_bp(text: str) -> int | None:
    """Basis points for "20.00%", "20 %", "20" (percent) or "0.2" (a fraction)."""
    raw = text.replace("%", "").replace("％", "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    if value < 1 and "%" not in text and "％" not in text and value != 0:
        value *= 100  # 0.2 means 20%
    if value > 100:
        return None
    return int((value * 100).to_integral_value())


def _find_columns(fmt: ReportFormat, header: list) -> dict[str, int]:
    keys = [_header(cell) for cell in header]
    found = {}
    for name, names in fmt.columns.items():
        for candidate in names:
            if _header(candidate) in keys:
                found[name] = keys.index(_header(candidate))
                break
    return found


def read_report(content: bytes, *, source: str) -> ParsedReport:
    """Every row of a union report, cleaned, or its errors (cell by cell). A file that
    cannot be read at all raises tabular.FileRejected."""
    fmt = FORMATS[source]
    known = {_header(n) for names in fmt.columns.values() for n in names}
    try:
        table = tabular.read_table(
            content, is_header=lambda cells: sum(_header(c) in known for c in cells) >= 2
        )
    except tabular.FileRejected as exc:
        try:
            empty = not any(True for _row in tabular.iter_rows(content))
        except tabular.FileRejected:
            raise exc from None  # not a table at all: the reader said why
        if empty:
            raise
        raise tabular.FileRejected(
            _("这不像%(union)s的订单报表：找不到 %(columns)s 等列。")
            % {
                "union": fmt.label,
                "columns": "、".join(fmt.header_name(n) for n in fmt.required),
            }
        ) from exc
    columns = _find_columns(fmt, table.header)
    missing = [fmt.header_name(name) for name in fmt.required if name not in columns]
    if missing:
        raise tabular.FileRejected(
            _("这不像%(union)s的订单报表：缺少列 %(missing)s。")
            % {"union": fmt.label, "missing": "、".join(missing)}
        )
    report = ParsedReport()
    for number, cells in table.rows:
        report.total += 1
        if report.total > MAX_ROWS:
            raise tabular.FileRejected(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
        row = _read_row(fmt, columns, number, cells, report.errors)
        if row is not None:
            report.rows.append(row)
    _refuse_repeats(fmt, columns, report)
    return report


def _read_row(fmt, columns, number, cells, errors) -> ReportRow | None:
    def cell(name):
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return tabular.clean_cell(cells[index])

    def raw(name):
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def fail(name, message):
        index = columns[name]
        errors.append(
            CellError(number, f"{tabular.column_letter(index)} {fmt.header_name(name)}", message)
        )

    before = len(errors)
    key = cell("line_no")
    if "\x00" in "".join(tabular.clean_cell(c) for c in cells):
        errors.append(CellError(number, "", _("含有无法识别的字符（NUL）。")))
        return None
    if not key:
        fail("line_no", _("订单号不能为空。"))
    elif not re.fullmatch(r"[0-9A-Za-z_-]{1,32}", key):
        fail("line_no", _("“%(value)s”不是订单号。") % {"value": key[:40]})
    if fmt is JD and cell("sku"):
        key = f"{key}-{cell('sku')}"  # one JD order holds several SKUs, each its own line

    state = fmt.state_for(cell("status"))
    if state is None:
        fail("status", _("未知的订单状态“%(value)s”。") % {"value": cell("status")[:20]})

    def amount(name, *, required):
        text = cell(name)
        if not text:
            if required:
                fail(name, _("金额不能为空。"))
            return None
        fen = tabular.parse_fen(text)
        if fen is None or not -(10**12) < fen < 10**12:
            fail(name, _("“%(value)s”不是金额。") % {"value": text[:20]})
        return fen

    estimated = amount("estimated", required=True)
    settled = amount("settled", required=False) if "settled" in columns else None
    if state == C.SETTLED and settled is None and "settled" in columns and not cell("settled"):
        fail("settled", _("已结算的订单需要结算收入。"))
    base = amount("base", required=False) if "base" in columns else None

    rate_bp = 0
    for name in ("rate", "share"):
        if name in columns and cell(name):
            bp = parse_percent_bp(cell(name))
            if bp is None:
                fail(name, _("“%(value)s”不是比例。") % {"value": cell(name)[:20]})
            elif name == "rate":
                rate_bp = bp
            else:
                rate_bp = rate_bp * bp // 10000  # 京东: 佣金比例 × 分成比例
    fee_rate_bp = 0
    if "fee_rate" in columns and cell("fee_rate"):
        fee_rate_bp = parse_percent_bp(cell("fee_rate"))
        if fee_rate_bp is None:
            fail("fee_rate", _("“%(value)s”不是比例。") % {"value": cell("fee_rate")[:20]})

    ordered_at = tabular.parse_datetime(raw("ordered_at"))
    if ordered_at is None:
        fail("ordered_at", _("“%(value)s”不是时间。") % {"value": cell("ordered_at")[:20]})
    settled_at = None
    if "settled_at" in columns and cell("settled_at") and cell("settled_at") != "-":
        settled_at = tabular.parse_datetime(raw("settled_at"))
        if settled_at is None:
            fail("settled_at", _("“%(value)s”不是时间。") % {"value": cell("settled_at")[:20]})

    quantity = 1
    if "quantity" in columns and cell("quantity"):
        quantity = tabular.parse_int(cell("quantity"))
        if quantity is None or not 0 < quantity < 1_000_000:
            fail("quantity", _("“%(value)s”不是数量。") % {"value": cell("quantity")[:20]})

    if len(errors) > before:
        return None
    order_no = cell("order_no")
    return ReportRow(
        row=number,
        key=key,
        order_no=order_no if order_no and order_no != "0" else key,
        title=cell("title")[:200],
        quantity=quantity,
        base_fen=base or 0,
        estimated_fen=estimated,
        settled_fen=settled,
        rate_bp=rate_bp,
        fee_rate_bp=fee_rate_bp,
        state=state,
        ordered_at=ordered_at,
        settled_at=settled_at,
    )


def _refuse_repeats(fmt, columns, report: ParsedReport) -> None:
    """One line per order id: a repeated id is named on its second row."""
    first: dict[str, int] = {}
    kept = []
    for row in report.rows:
        if row.key in first:
            report.errors.append(
                CellError(
                    row.row,
                    f"{tabular.column_letter(columns['line_no'])} {fmt.header_name('line_no')}",
                    _("与第 %(row)s 行的订单号重复。") % {"row": first[row.key]},
                )
            )
            continue
        first[row.key] = row.row
        kept.append(row)
    report.rows = kept
