"""Batch-ship spreadsheets (批量发货): reading what merchants upload, writing the template and
the result report. Pure file handling; the rules about orders live in logistics.batch.

Files are read with openpyxl (XLSX) and the csv module (text) directly rather than through
django-import-export: its resources map rows onto one model and save them, while a shipping
row names an order to ship and becomes a parcel through the shipping service. tablib is not
used for reading either: it refuses ragged rows (a trailing comma on one line), which
hand-edited CSV files have, and it hides the raw cell types we need to spot numbers Excel
turned into scientific notation.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .exceptions import ShipBatchFileRejected

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
# English-speaking integrators), compared after `_header_key`.
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

XLSX_MAGIC = b"PK\x03\x04"
# Files people rename to .csv/.xlsx by mistake, recognised by their first bytes.
OTHER_MAGIC = [
    (
        b"\xd0\xcf\x11\xe0",
        gettext_lazy("这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再上传。"),
    ),
    (b"%PDF", gettext_lazy("这是 PDF 文件，不是表格：请上传 CSV 或 XLSX。")),
    (b"\x89PNG", gettext_lazy("这是图片文件，不是表格：请上传 CSV 或 XLSX。")),
    (b"\xff\xd8\xff", gettext_lazy("这是图片文件，不是表格：请上传 CSV 或 XLSX。")),
    (b"GIF8", gettext_lazy("这是图片文件，不是表格：请上传 CSV 或 XLSX。")),
]

# Excel shows long numbers as 6.91234567890123E+18 and, once saved, the digits are gone.
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
# ="6912345678901234567": the formula trick that keeps Excel from touching a number.
EXCEL_TEXT_FORMULA = re.compile(r'^="(.*)"$', re.DOTALL)
# Excel's leading tab, BOMs, zero-width and full-width spaces around a value.
STRAY = "\t\r\n \u00a0\u3000\ufeff\u200b"


@dataclass
class FileRow:
    row_number: int  # as Excel numbers it: the header is row 1
    order_no: str = ""
    carrier_text: str = ""
    tracking_no: str = ""
    item_no: str = ""
    quantity: int | None = None
    # What is wrong with the cells themselves, found while reading ("" when fine).
    problem: str = ""


def clean_cell(value) -> str:
    """A cell as the text the merchant meant: no Excel tab or ="…" wrapping, no stray
    spaces; whole floats as integers; floats Excel could not keep exact in E notation."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; anything longer was already rounded.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"
    text = str(value).strip(STRAY)
    match = EXCEL_TEXT_FORMULA.match(text)
    if match:
        text = match.group(1).strip(STRAY)
    if text.startswith("'"):  # typed as '6912… to force text
        text = text[1:].strip(STRAY)
    return text


def _header_key(value) -> str:
    text = clean_cell(value).lower()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # 子订单编号（选填）
    return re.sub(r"[\s_\-*]", "", text)


HEADER_LOOKUP = {
    _header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _detect(content: bytes) -> str:
    """'xlsx' or 'text', or ShipBatchFileRejected saying what the file really is."""
    if not content.strip():
        raise ShipBatchFileRejected(_("文件是空的。"))
    if content.startswith(XLSX_MAGIC):
        return "xlsx"
    for magic, message in OTHER_MAGIC:
        if content.startswith(magic):
            raise ShipBatchFileRejected(str(message))
    return "text"


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本" (UTF-16)
        text = content.decode("utf-16")
    else:
        if b"\x00" in content[:4096]:
            raise ShipBatchFileRejected(_("文件不是文本表格：请上传 CSV 或 XLSX。"))
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ShipBatchFileRejected(
                _("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX 后再上传。")
            )
    return text


def _text_rows(content: bytes):
    text = _decode(content)
    first_line = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    # Comma for CSV, tab for Excel's text exports, semicolon for European locales.
    delimiter = max([",", "\t", ";"], key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes):
    try:
        # data_only: the values Excel shows, also for cells filled by VLOOKUP.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ShipBatchFileRejected(
            _("文件是压缩格式但不是 Excel 工作簿：请上传 CSV 或 XLSX。")
        ) from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _map_headers(header: list) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        field = HEADER_LOOKUP.get(_header_key(value))
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


def _quantity(raw: str) -> tuple[int | None, str]:
    if not raw:
        return None, ""
    text = raw[:-2] if raw.endswith(".0") else raw
    if not text.isdigit() or int(text) <= 0:
        return None, _("发货数量“%(value)s”不是正整数。") % {"value": raw}
    return int(text), ""


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
    problems = [problem] if problem else []
    for field, value in ((ORDER_NO, row.order_no), (ITEM_NO, row.item_no)):
        if SCIENTIFIC.match(value):
            problems.append(
                _(
                    "%(column)s“%(value)s”被 Excel 显示成了科学计数法，后几位已经丢失："
                    "请把这一列设为“文本”格式，重新粘贴编号后再上传。"
                )
                % {"column": COLUMNS[field], "value": value}
            )
    if SCIENTIFIC.match(row.tracking_no):
        problems.append(
            _("快递单号“%(value)s”被 Excel 显示成了科学计数法，请把这一列设为“文本”格式。")
            % {"value": row.tracking_no}
        )
    row.problem = " ".join(problems)
    return row


def read_ship_file(content: bytes) -> list[FileRow]:
    """The data rows of an uploaded batch-ship file, or ShipBatchFileRejected naming what
    is wrong with the file as a whole (nothing is written for those)."""
    if len(content) > MAX_BYTES:
        raise ShipBatchFileRejected(
            _("文件不能超过 %(mb)s MB。") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    kind = _detect(content)
    source = _xlsx_rows(content) if kind == "xlsx" else _text_rows(content)
    positions = None
    rows: list[FileRow] = []
    try:
        for number, cells in enumerate(source, start=1):
            cells = list(cells)
            if not any(clean_cell(c) for c in cells):
                continue
            if positions is None:
                positions = _map_headers(cells)
                continue
            rows.append(_row(number, cells, positions))
            if len(rows) > MAX_ROWS:
                raise ShipBatchFileRejected(
                    _("一个文件最多 %(n)s 行，请拆成几个文件上传。") % {"n": f"{MAX_ROWS:,}"}
                )
    except csv.Error as exc:
        raise ShipBatchFileRejected(
            _("CSV 第 %(n)s 行格式有误：%(error)s") % {"n": number, "error": exc}
        ) from exc
    if positions is None:
        raise ShipBatchFileRejected(_("文件是空的。"))
    if not rows:
        raise ShipBatchFileRejected(_("文件里只有表头，没有要发货的行。"))
    return rows


# --- writing: the template and the result report ---

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@")


def _csv_cell(value, as_text: bool):
    if value in ("", None):
        return ""
    if as_text:
        return f"\t{value}"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"  # what a merchant typed must not run as a formula in Excel
    return value


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
        for cell in cells:
            if cell.data_type == "f":  # text a merchant typed, never a formula
                cell.data_type = "s"
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
