"""The console's import workflow: upload → preview (dry run) → confirm (all or nothing),
files above INLINE_MAX_ROWS rows as a Celery job with progress; import templates for
foreign headers, found again by the file's set of headers."""

from contextlib import contextmanager

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from core.exceptions import DomainError, clean_or_raise, require_postgresql
from core.tabular import FileRejected
from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404

from .columns import BY_KEY
from .imports import import_orders
from .models import FileJobStatus, ImportTemplate, OrderImport
from .reading import headers_signature, open_file

INLINE_MAX_ROWS = 2000
MAX_BYTES = 200 * 1024 * 1024


class ImportRefused(DomainError, code="import_refused"):
    """An upload the import does not take (too large)."""


def _template_for(job: OrderImport) -> ImportTemplate | None:
    """The shop's import template made for this file's set of headers. Each is tried
    with its own mapping: without it a foreign file's header row is not even found."""
    for template in ImportTemplate.objects.filter(shop_id=job.shop_id):
        with job.file.open("rb") as handle:
            try:
                layout, _rows = open_file(handle, mapping=template.mapping)
            except FileRejected:
                continue
        if headers_signature(layout.header) == template.headers_key:
            return template
    return None


def import_upload(*, context: ConsoleContext, upload) -> OrderImport:
    """Keep the file and preview it (the mapping of a matching import template applies)."""
    context.require_perm(Perm.ORDER_REMARK)
    require_postgresql(_("订单导入"))
    if upload.size > MAX_BYTES:
        raise ImportRefused(_("文件不能超过 200 MB。"))
    job = OrderImport(shop=context.shop, created_by=context_user(context), file_name=upload.name)
    job.file.save(f"{context.shop.pk}/{upload.name}", upload, save=False)
    job.save()
    template = _template_for(job)
    if template is not None:
        job.mapping = template.mapping
        job.save(update_fields=["mapping"])
    return import_preview(job=job)


def import_preview(*, job: OrderImport) -> OrderImport:
    """Dry-run the file; the report goes into `job.summary`."""
    with job.file.open("rb") as handle:
        try:
            report = import_orders(
                shop_id=job.shop_id, source=handle, file_name=job.file_name,
                mapping=job.mapping, dry_run=True,
            )  # fmt: skip
        except FileRejected as exc:
            job.summary = {"rejected": str(exc.message), **exc.fields}
        else:
            job.summary = report.as_dict()
            job.total = report.rows
    job.status = FileJobStatus.PREVIEW
    job.save(update_fields=["summary", "total", "status"])
    return job


def import_set_mapping(
    *, context: ConsoleContext, import_id: int, mapping: dict, template_name: str = ""
) -> OrderImport:
    """Map unrecognised headers to columns, optionally saved as a named template."""
    job = get_scoped_or_404(OrderImport.objects.all(), context, pk=import_id)
    mapping = {h: k for h, k in mapping.items() if k in BY_KEY}
    job.mapping = mapping
    job.save(update_fields=["mapping"])
    if template_name.strip():
        with job.file.open("rb") as handle:
            try:
                layout, _rows = open_file(handle, mapping=mapping)
            except FileRejected as exc:
                raise ImportRefused(exc.message) from exc
        template, _created = ImportTemplate.objects.update_or_create(
            shop=context.shop,
            name=template_name.strip(),
            defaults={"headers_key": headers_signature(layout.header), "mapping": mapping},
        )
        clean_or_raise(template, ImportRefused)
    return import_preview(job=job)


@transaction.atomic
def import_confirm(*, context: ConsoleContext, import_id: int) -> OrderImport:
    """Write the previewed file: inline when small, else queued for a worker."""
    from .tasks import import_run_task

    job = get_scoped_or_404(OrderImport.objects.select_for_update(), context, pk=import_id)
    if job.status != FileJobStatus.PREVIEW:
        return job
    if job.summary.get("rejected") or job.summary.get("errors"):
        raise ImportRefused(_("文件有错误，请改正后重新上传。"))
    job.status = FileJobStatus.QUEUED
    job.save(update_fields=["status"])
    if job.total <= INLINE_MAX_ROWS:
        return import_job_run(import_id=job.pk)
    transaction.on_commit(lambda: import_run_task.delay(job.pk))
    return job


@contextmanager
def _progress_writer(import_id: int):
    """`progress(rows)` recording how far the import has read, on a connection of its own:
    the import is one transaction, which nobody sees before it commits, while the job's
    page polls the count. Best effort: a row another transaction holds is not waited for."""
    if connection.vendor != "postgresql":  # make run's SQLite: one writer at a time
        yield lambda rows: OrderImport.objects.filter(pk=import_id).update(processed=rows)
        return
    side = connections.create_connection(connection.alias)

    def progress(rows: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {OrderImport._meta.db_table} SET processed = %s WHERE id = "
                f"(SELECT id FROM {OrderImport._meta.db_table} WHERE id = %s "
                "FOR UPDATE SKIP LOCKED)",
                [rows, import_id],
            )

    try:
        yield progress
    finally:
        side.close()


def import_job_run(*, import_id: int) -> OrderImport:
    job = OrderImport.objects.select_related("created_by").get(pk=import_id)
    if job.status != FileJobStatus.QUEUED:
        return job
    OrderImport.objects.filter(pk=import_id).update(status=FileJobStatus.RUNNING)
    with job.file.open("rb") as handle, _progress_writer(import_id) as progress:
        try:
            report = import_orders(
                shop_id=job.shop_id, source=handle, file_name=job.file_name,
                mapping=job.mapping, dry_run=False, actor=job.created_by, progress=progress,
            )  # fmt: skip
        except DomainError as exc:  # the file as a whole, or a concurrent import
            job.error = str(exc.message)[:300]
            report = None
    job.summary = report.as_dict() if report else job.summary
    job.processed = report.rows if report else 0
    job.status = FileJobStatus.DONE if report and not report.errors else FileJobStatus.FAILED
    if report and report.errors:
        job.error = _("文件有错误，未导入任何数据。")
    job.finished_at = timezone.now()
    job.save()
    return job
