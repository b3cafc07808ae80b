"""CSV and XLSX files of the ledger and the shop settlement. Every cell goes through
`core.exports.neutralise`; CSV streams, XLSX uses openpyxl's write-only mode."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from core.exports import neutralise

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def _csv_lines(headers, rows):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    # A BOM, so Excel opens the UTF-8 file with the Chinese intact.
    yield "\ufeff" + writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def export_response(*, name: str, fmt: str, headers: list[str], rows) -> HttpResponse:
    """`rows` is an iterable of lists; `fmt` "xlsx" or anything else for CSV."""
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([neutralise(h) for h in headers])
        for row in rows:
            sheet.append([neutralise(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    else:
        fmt = "csv"
        response = StreamingHttpResponse(_csv_lines(headers, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
