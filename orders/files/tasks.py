"""Celery jobs of order files: each looks the job up and calls the service."""

from celery import shared_task

from .services import export_run, export_schedules_run, exports_purge


@shared_task
def export_run_task(export_id: int) -> dict:
    record = export_run(export_id=export_id)
    return {"status": record.status, "rows": record.rows}


@shared_task
def import_run_task(import_id: int) -> dict:
    from .jobs import import_job_run

    job = import_job_run(import_id=import_id)
    return {"status": job.status}


@shared_task
def exports_purge_task() -> int:
    """Beat: export files are kept 7 days."""
    return exports_purge()


@shared_task
def export_schedules_task() -> int:
    """Beat: start the daily scheduled exports whose time has come."""
    return export_schedules_run()
