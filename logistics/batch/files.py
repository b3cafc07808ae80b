"""Batch-ship spreadsheets (批量发货): reading what merchants upload, writing the template and
the result report. Pure file handling; the rules about orders live in logistics.batch.judge.

Files are read with openpyxl (XLSX) and the csv module (text) directly rather than through
django-import-export: its resources map rows onto one model and save them, while a shipping
row names an order to ship and becomes a parcel through the shipping service. tablib is not
used for reading either: it refuses ragged rows (a trailing comma on one line), which
hand-edited CSV files have, and it hides the raw cell types we need to spot numbers Excel
turned into scientific notation.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from core.exports import neutralise, xlsx_keep_text
from core.models import Said
from core.tabular import SCIENTIFIC, FileRejected, clean_cell, header_key, iter_rows

from .. import messages
from ..exceptions import ShipBatchFileRejected

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000

ORDER_NO = "order_no"
CARRIER = "carrier"
TRACKING_NO = "tracking_no"
ITEM_NO = "item_no"
QUANTITY = "quantity"

# Template headers, in template order; the first three are required.
COLUMNS = {
    ORDER_NO: gettext_lazy("订单号"),
    CARRIER: gettext_lazy("快递公司"),
    TRACKING_NO: gettext_lazy("快递单号"),
    ITEM_NO: gettext_lazy("子订单编号"),
    QUANTITY: gettext_lazy("发货数量"),
}
REQUIRED = (ORDER_NO, CARRIER, TRACKING_NO)

# Header spellings seen in merchants' files (抖店 exports, other platforms' templates,
# English-speaking integrators), compared after `core.tabular.header_key`.
HEADER_ALIASES = {
    ORDER_NO: ["订单号", "主订单编号", "主订单号", "订单编号", "order_no", "order_id", "order"],
    CARRIER: [
        "快递公司",
        "物流公司",
        "快递",
        "承运商",
        "carrier",
        "express_company",
        "logistics_company",
    ],
    TRACKING_NO: [
        "快递单号",
        "运单号",
        "物流单号",
        "运单编号",
        "tracking_no",
        "tracking_number",
        "waybill_no",
    ],
    ITEM_NO: ["子订单编号", "子订单号", "item_no", "sub_order_no"],
    QUANTITY: ["发货数量", "数量", "quantity", "qty"],
}


@dataclass
class FileRow:
    row_number: int  # as Excel numbers it: the header is row 1
    order_no: str = ""
    carrier_text: str = ""
    tracking_no: str = ""
    item_no: str = ""
    quantity: int | None = None
    # What is wrong with the cells themselves, found while reading (codes of
    # logistics.messages).
    problems: list[Said] = field(default_factory=list)

    @property
    def problem(self) -> str:
        """The problems in words ("" when fine)."""
        return " ".join(messages.render(said) for said in self.problems)


HEADER_LOOKUP = {
    header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _map_headers(header: list) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        field = HEADER_LOOKUP.get(header_key(value))
        if field is None:
            continue  # other columns (an 抖店 export has dozens) are ignored
        if field in positions:
            raise ShipBatchFileRejected(
                _("“%(column)s”列出现了两次，请只保留一列。") % {"column": COLUMNS[field]}
            )
        positions[field] = index
    missing = [str(COLUMNS[field]) for field in REQUIRED if field not in positions]
    if missing:
        raise ShipBatchFileRejected(
            _("缺少必填列：%(missing)s。表头应为：%(columns)s（后两列可选）。")
            % {"missing": "、".join(missing), "columns": "、".join(map(str, COLUMNS.values()))}
        )
    return positions


def _quantity(raw: str) -> tuple[int | None, Said | None]:
    if not raw:
        return None, None
    text = raw[:-2] if raw.endswith(".0") else raw
    if not text.isdigit() or int(text) <= 0:
        return None, Said("quantity_not_positive", {"value": raw})
    return int(text), None


def _row(number: int, cells: list, positions: dict[str, int]) -> FileRow:
    def cell(field):
        index = positions.get(field)
        return clean_cell(cells[index]) if index is not None and index < len(cells) else ""

    row = FileRow(
        row_number=number,
        order_no=cell(ORDER_NO),
        carrier_text=cell(CARRIER),
        tracking_no=cell(TRACKING_NO),
        item_no=cell(ITEM_NO),
    )
    row.quantity, problem = _quantity(cell(QUANTITY))
    row.problems = [problem] if problem else []
    for name, value in ((ORDER_NO, row.order_no), (ITEM_NO, row.item_no)):
        if SCIENTIFIC.match(value):
            row.problems.append(Said("scientific", {"field": name, "value": value}))
    if SCIENTIFIC.match(row.tracking_no):
        row.problems.append(Said("tracking_scientific", {"value": row.tracking_no}))
    return row


def read_ship_file(content: bytes) -> list[FileRow]:
    """The data rows of an uploaded batch-ship file, or ShipBatchFileRejected naming what
    is wrong with the file as a whole (nothing is written for those)."""
    if len(content) > MAX_BYTES:
        raise ShipBatchFileRejected(
            _("文件不能超过 %(mb)s MB。") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    positions = None
    rows: list[FileRow] = []
    try:
        for number, cells in iter_rows(content):
            if positions is None:
                positions = _map_headers(cells)
                continue
            rows.append(_row(number, cells, positions))
            if len(rows) > MAX_ROWS:
                raise ShipBatchFileRejected(
                    _("一个文件最多 %(n)s 行，请拆成几个文件上传。") % {"n": f"{MAX_ROWS:,}"}
                )
    except FileRejected as exc:
        raise ShipBatchFileRejected(exc.message) from exc
    if positions is None:
        raise ShipBatchFileRejected(_("文件是空的。"))
    if not rows:
        raise ShipBatchFileRejected(_("文件里只有表头，没有要发货的行。"))
    return rows


# --- writing: the template and the result report ---

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_cell(value, as_text: bool):
    if value in ("", None):
        return ""
    value = neutralise(value)  # what a merchant typed must not run as a formula in Excel
    return f"\t{value}" if as_text else value


def write_csv(headers: list[str], rows: list[list], *, text_columns=()) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese correctly. `text_columns` hold long
    numbers: they get a leading tab, as in 抖店's own exports, so Excel does not turn them
    into 6.9E+18 (our reader strips it again)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [_csv_cell(value, index in text_columns) for index, value in enumerate(row)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: list[str], rows: list[list], *, text_columns=(), notes=()) -> bytes:
    """`text_columns` are formatted as text so Excel keeps long numbers whole."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("批量发货")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF3FF")
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        xlsx_keep_text(cells)  # text a merchant typed, never a formula
    for index, header in enumerate(headers):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(14, min(60, len(str(header)) * 3))
        if index in text_columns:
            # The column's style covers what the merchant types later; the cells written
            # here need it set one by one.
            sheet.column_dimensions[letter].number_format = "@"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    if notes:
        help_sheet = workbook.create_sheet(_("填写说明"))
        for line in notes:
            help_sheet.append([line])
        help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_headers() -> list[str]:
    return [str(label) for label in COLUMNS.values()]


def template_notes(carrier_names: list[str]) -> list[str]:
    return [
        _("订单号：填主订单编号（19 位），必填。"),
        _("快递公司：填名称、简称或编码，必填。可用：%(names)s。")
        % {"names": "、".join(carrier_names)},
        _("快递单号：必填，需符合快递公司的单号规则。"),
        _("子订单编号 + 发货数量：选填，只发订单中的部分商品时填写；不填则整单发货。"),
        _("同一个文件重复上传不会重复发货：已用同一快递单号发过的订单会标记为“已发过”。"),
    ]
