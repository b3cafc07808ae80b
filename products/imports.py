"""The console's import workflow: read the file, preview every row (dry run), keep the
file until the merchant confirms, then apply it all or nothing."""

import uuid
from dataclasses import dataclass

import tablib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from import_export.results import RowResult

from core import tabular
from shops.tenancy import ConsoleContext

from .exceptions import ImportRejected
from .resources import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ROW_NUMBER,
    ProductSkuResource,
    canonical_header,
)

SESSION_KEY = "products_import"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


@dataclass
class RowError:
    number: int
    messages: list[str]


@dataclass
class Preview:
    content: bytes
    total: int
    new: int
    update: int
    skip: int
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """The file as a Dataset with canonical (Chinese) headers, or ImportRejected."""
    name = (filename or "").lower()
    if len(content) > MAX_BYTES:
        raise ImportRejected(_("文件不能超过 2 MB。"))
    if not name.endswith((".csv", ".xlsx")):
        raise ImportRejected(_("只支持 CSV 或 XLSX 文件。"))
    if name.endswith(".xlsx") and not content.startswith(tabular.XLSX_MAGIC):
        raise ImportRejected(_("无法读取文件，请确认它是有效的 CSV 或 XLSX。"))
    try:
        # core.tabular numbers rows as the spreadsheet does (header = row 1), so every
        # message names the row the merchant sees, blank lines and title lines included.
        table = tabular.read_table(
            content,
            is_header=lambda cells: any(canonical_header(c) in COLUMNS for c in cells),
        )
        headers = [canonical_header(h) for h in table.header]
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            raise ImportRejected(
                _("缺少列：%(missing)s。表头应为：%(columns)s。")
                % {"missing": "、".join(missing), "columns": "、".join(COLUMNS)}
            )
        cleaned = tablib.Dataset(headers=[*headers, ROW_NUMBER])
        for number, cells in table.rows:
            if len(cleaned) >= MAX_ROWS:
                raise ImportRejected(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
            cells = [tabular.clean_cell(c) for c in cells][: len(headers)]
            cleaned.append([*cells, *[""] * (len(headers) - len(cells)), number])
    except tabular.FileRejected as exc:
        raise ImportRejected(exc.message) from exc
    if not len(cleaned):
        raise ImportRejected(_("文件里只有表头，没有数据行。"))
    return cleaned


def _run(context: ConsoleContext, dataset: tablib.Dataset, *, dry_run: bool):
    resource = ProductSkuResource(context=context)
    return resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )


def _errors(result, dataset: tablib.Dataset) -> list[RowError]:
    """Every row's problems, numbered as the spreadsheet numbers the row (import-export
    counts the data rows it was given from 1)."""
    numbers = dataset[ROW_NUMBER]
    errors = [
        RowError(
            numbers[row.number - 1], [str(m) for msgs in row.error_dict.values() for m in msgs]
        )
        for row in result.invalid_rows
    ]
    errors += [
        RowError(numbers[row.number - 1], [str(e.error) for e in row.errors])
        for row in result.error_rows
    ]
    errors += [RowError(0, [str(e.error)]) for e in result.base_errors]
    return sorted(errors, key=lambda e: e.number)


def import_preview(*, context: ConsoleContext, content: bytes, filename: str) -> Preview:
    """Dry-run every row; nothing is written."""
    dataset = read_dataset(content, filename)
    result = _run(context, dataset, dry_run=True)
    totals = result.totals
    return Preview(
        content=content,
        total=len(dataset),
        new=totals[RowResult.IMPORT_TYPE_NEW],
        update=totals[RowResult.IMPORT_TYPE_UPDATE],
        skip=totals[RowResult.IMPORT_TYPE_SKIP],
        errors=_errors(result, dataset),
    )


def stash(*, context: ConsoleContext, content: bytes, filename: str) -> dict:
    """Keep the previewed file until it is confirmed; what to remember in the session."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    path = default_storage.save(
        f"imports/{context.shop.pk}/{uuid.uuid4().hex}{suffix}", ContentFile(content)
    )
    return {"path": path, "filename": filename, "shop_id": context.shop.pk}


def import_confirm(*, context: ConsoleContext, stashed: dict | None) -> dict:
    """Apply the previewed file: every row or none."""
    if not stashed or stashed.get("shop_id") != context.shop.pk:
        raise ImportRejected(_("没有待确认的导入，请重新上传文件。"))
    try:
        with default_storage.open(stashed["path"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise ImportRejected(_("没有待确认的导入，请重新上传文件。")) from exc
    default_storage.delete(stashed["path"])
    dataset = read_dataset(content, stashed["filename"])
    result = _run(context, dataset, dry_run=False)
    errors = _errors(result, dataset)
    if errors:
        first = errors[0]
        raise ImportRejected(
            _("第 %(n)s 行：%(message)s 整个文件未导入。")
            % {"n": first.number, "message": " ".join(first.messages)}
        )
    totals = result.totals
    return {
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "update": totals[RowResult.IMPORT_TYPE_UPDATE],
        "skip": totals[RowResult.IMPORT_TYPE_SKIP],
    }
