"""What every file we write must respect: no cell a person typed may run as a formula.

CSV cells go through `neutralise`; XLSX cells are typed, so `xlsx_keep_text` stores
what openpyxl took for a formula as the text it is. `csv_bytes` and `xlsx_bytes` write a
plain sheet (header row, then rows) with both applied to every cell."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

# A cell that starts with one of these is a formula to Excel, LibreOffice and Numbers
# (tab and CR too: some of them strip a leading one and read on).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that cannot run as a formula: a leading apostrophe, which spreadsheets
    hide. Numbers, dates and empty cells pass unchanged (a negative number is a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """What `neutralise` wrote, read back: re-importing an export changes nothing."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def xlsx_keep_text(cells) -> None:
    """openpyxl makes every string starting with "=" a formula: store it as text, with
    Excel's quote prefix so editing the cell later does not turn it into one either."""
    for cell in cells:
        if cell.data_type == "f" or (
            isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
        ):
            cell.data_type = "s"
            cell.quotePrefix = True


def xlsx_value(value):
    """A value as Excel can store it: an aware time becomes the Beijing wall-clock time
    it shows (Excel has no time zones; openpyxl refuses aware datetimes)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def xlsx_number_formats(cells) -> None:
    """Amounts (Decimal yuan) show two decimals and times show as dates, so the cells
    stay numbers and dates that a spreadsheet sums, sorts and filters."""
    for cell in cells:
        if isinstance(cell.value, Decimal):
            cell.number_format = "0.00"
        elif isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"


def csv_bytes(headers, rows) -> bytes:
    """UTF-8 with a BOM (so Excel opens the Chinese intact), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(value) for value in headers])
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers, rows, *, title: str = "Sheet1") -> bytes:
    """One sheet: a bold, frozen header row, then `rows`; text never becomes a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
    for row in sheet.iter_rows():
        xlsx_keep_text(row)
        xlsx_number_formats(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def neutralise_sql(expression: str) -> str:
    """`neutralise` as SQL over a text expression, for files PostgreSQL writes itself
    (COPY … TO STDOUT): the same starts, the same apostrophe."""
    starts = ", ".join(f"chr({ord(start)})" for start in FORMULA_STARTS)
    return (
        f"(CASE WHEN left({expression}, 1) IN ({starts}) "
        f"THEN chr(39) || {expression} ELSE {expression} END)"
    )
