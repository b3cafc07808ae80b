"""Reading the spreadsheets merchants upload, whatever made them: 抖店's and other
platforms' exports, Excel, WPS, an ERP. Shared by every importer (products, 批量发货,
订单导入, 联盟 reports), so each reads files the same forgiving way:

- XLSX (first sheet, the values Excel shows) or text: UTF-8 with or without BOM,
  GBK/GB18030, UTF-16 (Excel's "Unicode 文本") — detected, never asked; comma, tab or
  semicolon separated.
- The header row is found under a title line ("订单导出 2026-11-01"): the first row the
  caller recognises as a header.
- Cells lose Excel's leading tab, `="…"` and `'` wrappers and stray spaces.
- Rows are numbered as the spreadsheet numbers them (the first line is row 1), and
  columns by letter (A, B, … AA), so a message can point at the very cell.
- Text is decoded as a stream and XLSX read in read-only mode: a 100,000-row file never
  sits in memory as a whole.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .exceptions import DomainError


class FileRejected(DomainError, code="file_rejected"):
    """The file as a whole cannot be read (nothing is written)."""


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
SAMPLE_BYTES = 64 * 1024
# How far down a header row may sit under title lines.
HEADER_SCAN_ROWS = 20

# Excel shows long numbers as 6.91234567890123E+18 and, once saved, the digits are gone.
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
# ="6912345678901234567": the formula trick that keeps Excel from touching a number.
EXCEL_TEXT_FORMULA = re.compile(r'^="(.*)"$', re.DOTALL)
# Excel's leading tab, BOMs, zero-width and full-width spaces around a value.
STRAY = "\t\r\n \u00a0\u3000\ufeff\u200b"


def clean_cell(value) -> str:
    """A cell as the text the merchant meant: no Excel tab or ="…" wrapping, no stray
    spaces; whole floats as integers; floats Excel could not keep exact in E notation."""
    if value.__class__ is str:  # nearly every cell: skip the type checks below
        text = value.strip(STRAY)
        if text[:1] in ("=", "'"):
            return _unwrap(text)
        return text
    if value is None:
        return ""
    if isinstance(value, (bool, int)):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; anything longer was already rounded.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return _unwrap(str(value).strip(STRAY))


def clean_cells(cells) -> list[str]:
    """`clean_cell` of every cell of a row. A text file's row (all str) is stripped in one
    pass and only a row with a wrapped cell (="…", ') is looked at cell by cell: an
    order file's 100,000 rows × 37 columns would otherwise be 3.7 million calls."""
    try:
        texts = [cell.strip(STRAY) for cell in cells]
    except AttributeError:  # an XLSX row: numbers, dates, None
        return [clean_cell(cell) for cell in cells]
    # Each cell's first character follows a NUL here; a NUL inside a cell can only
    # send the row the slow way, never skip a wrapped cell.
    joined = "\x00" + "\x00".join(texts)
    if "\x00=" in joined or "\x00'" in joined:
        return [_unwrap(text) if text[:1] in ("=", "'") else text for text in texts]
    return texts


def _unwrap(text: str) -> str:
    if text.startswith('="'):
        match = EXCEL_TEXT_FORMULA.match(text)
        if match:
            text = match.group(1).strip(STRAY)
    if text.startswith("'"):  # typed as '6912… to force text
        text = text[1:].strip(STRAY)
    return text


def header_key(value) -> str:
    """A header compared loosely: lower case, no spaces, `_`, `-`, `*` or (注释)."""
    text = clean_cell(value).lower()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # 子订单编号（选填）
    return re.sub(r"[\s_\-*]", "", text)


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA": how a spreadsheet names the column."""
    return get_column_letter(index + 1)


# --- values ----------------------------------------------------------------------------

AMOUNT_SIGNS = "¥￥元 "


def parse_fen(text: str) -> int | None:
    """Fen for "¥1,299.00", "￥12.9", "12" or "1 299,00"-free amounts; None when the
    text is not an amount with at most two decimals."""
    raw = text.strip(AMOUNT_SIGNS).replace(",", "").replace("，", "")
    # The common case (digits, then up to two decimals), without a regex or Decimal: an
    # order file has hundreds of thousands of amounts.
    yuan, dot, cents = raw.partition(".")
    if 0 < len(yuan) <= 15 and yuan.isdecimal():
        if not dot:
            return int(yuan) * 100
        if 0 < len(cents) <= 2 and cents.isdecimal():
            return int(yuan) * 100 + int(cents.ljust(2, "0"))
    try:
        amount = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return int(amount * 100)


def parse_int(text: str) -> int | None:
    raw = text.replace(",", "")
    if raw.endswith(".0"):
        raw = raw[:-2]
    return int(raw) if raw.isdigit() else None


DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d%H%M%S",
)


# 2026-11-01 12:00:00 or 2026/11/01 12:00:00 (or without the seconds, or a date alone).
ISO_LIKE = re.compile(r"\d{4}([-/])\d{2}\1\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")


def parse_datetime(value, *, zone=None) -> datetime | None:
    """An aware time (in `zone`, by default the site's: Asia/Shanghai) for
    2026-11-01 12:00:00, 2026/11/01 12:00:00, 2026-11-01, or a date cell of an XLSX;
    None otherwise. A file's many times pass `zone` once rather than look it up each."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = clean_cell(value)
        if ISO_LIKE.fullmatch(text):  # the common forms, without strptime
            try:
                moment = datetime.fromisoformat(text.replace("/", "-"))
            except ValueError:
                return None
        else:
            moment = _strptime(text)
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or timezone.get_current_timezone())
    return moment


def _strptime(text: str) -> datetime | None:
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    return None


# --- reading ---------------------------------------------------------------------------


def _open(source) -> io.BufferedIOBase:
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source)
    if isinstance(source, str):
        return open(source, "rb")  # noqa: SIM115 - closed by the Table
    return source


def detect_kind(sample: bytes) -> str:
    """'xlsx' or 'text', or FileRejected saying what the file really is."""
    if not sample.strip():
        raise FileRejected(_("文件是空的。"))
    if sample.startswith(XLSX_MAGIC):
        return "xlsx"
    for magic, message in OTHER_MAGIC:
        if sample.startswith(magic):
            raise FileRejected(str(message))
    return "text"


def detect_encoding(sample: bytes) -> str:
    """The encoding of a text file from its first bytes: UTF-16 and UTF-8 by their BOM
    or by decoding cleanly, else GB18030 (a superset of GBK that decodes any bytes
    GBK files hold)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in sample:
        raise FileRejected(_("文件含有空字符（NUL），不是文本表格：请上传 CSV 或 XLSX。"))
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # A sample may end inside a character: the incremental decoder allows that.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX 后再上传。")
        ) from exc


def decode(content: bytes) -> str:
    """The whole of a small text file as str (encoding detected)."""
    encoding = detect_encoding(content[:SAMPLE_BYTES])
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(exc) from exc


def _undecodable(exc) -> FileRejected:
    return FileRejected(
        _("文件编码不一致（第 %(at)s 字节起无法识别）：请整体另存为 UTF-8 或 GBK 后再上传。")
        % {"at": f"{exc.start:,}"}
    )


def _text_rows(handle, sample: bytes) -> Iterator[list]:
    encoding = detect_encoding(sample)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    first_line = sample.decode(encoding, errors="ignore").lstrip("\ufeff\r\n").split("\n", 1)[0]
    # Comma for CSV, tab for Excel's text exports, semicolon for European locales.
    delimiter = max([",", "\t", ";"], key=first_line.count)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise _undecodable(exc) from exc
    except csv.Error as exc:
        # The csv module refuses NUL bytes ("line contains NUL") and unclosed quotes.
        raise FileRejected(
            _("CSV 第 %(n)s 行格式有误：%(error)s") % {"n": reader.line_num, "error": exc}
        ) from exc


def _xlsx_rows(handle) -> Iterator[tuple]:
    try:
        # data_only: the values Excel shows, also for cells filled by VLOOKUP.
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(_("文件是压缩格式但不是 Excel 工作簿：请上传 CSV 或 XLSX。")) from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(_("Excel 文件已损坏或不完整，请重新导出后再上传。")) from exc
    finally:
        workbook.close()


def iter_rows(source) -> Iterator[tuple[int, list]]:
    """(spreadsheet row number, raw cells) of every non-blank row of `source` (bytes, a
    path or a binary file), streamed. Raw cells keep XLSX's types (numbers, dates)."""
    handle = _open(source)
    try:
        sample = handle.read(SAMPLE_BYTES)
        kind = detect_kind(sample)
        handle.seek(0)
        rows = _xlsx_rows(handle) if kind == "xlsx" else _text_rows(handle, sample)
        for number, cells in enumerate(rows, start=1):
            if any(clean_cell(cell) for cell in cells):
                yield number, list(cells)
    finally:
        if handle is not source:
            handle.close()


@dataclass(kw_only=True)
class UpsertCounts:
    """What an import keyed by a file's own ids did with its rows: each one new,
    updated or unchanged (the order import, the 联盟 reports)."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Table:
    """A file found to have a header: `header` (raw cells) on row `header_row`, then
    `rows`, an iterator of (row number, raw cells) over the data rows."""

    header: list
    header_row: int
    rows: Iterator[tuple[int, list]]


def read_table(source, *, is_header: Callable[[list], bool]) -> Table:
    """The file's header row — the first of its first HEADER_SCAN_ROWS non-blank rows
    that `is_header` accepts, so title lines above it are skipped — and its data rows.
    Without one, FileRejected (an empty file says so)."""
    rows = iter_rows(source)
    scanned = 0
    for number, cells in rows:
        if is_header(cells):
            return Table(header=cells, header_row=number, rows=rows)
        scanned += 1
        if scanned >= HEADER_SCAN_ROWS:
            break
    if not scanned:
        raise FileRejected(_("文件是空的。"))
    raise FileRejected(_("找不到表头行：前 %(n)s 行里没有可识别的列名。") % {"n": HEADER_SCAN_ROWS})
