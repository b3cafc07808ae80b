"""Timers that may run late, twice or side by side (Celery beat, `run_timers`,
`settle_due`)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from .exceptions import DomainError

log = logging.getLogger(__name__)

BATCH = 200


def run_each_locked(queryset, handle, *, batch: int = BATCH) -> int:
    """Apply `handle` to each row of `queryset`, each in its own short transaction.

    Rows another worker holds are skipped (skip_locked) and the condition is checked
    again under the lock, so concurrent or repeated runs change each row once; a run
    after downtime simply finds more due rows. Returns how many were handled.
    """
    done = 0
    last_pk = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        last_pk = ids[-1]
        for pk in ids:
            try:
                with transaction.atomic():
                    row = queryset.select_for_update(skip_locked=True).filter(pk=pk).first()
                    if row is None:
                        continue
                    handle(row)
                    done += 1
            except DomainError:
                log.exception("timer could not handle %s %s", queryset.model.__name__, pk)


class TimerCommand(BaseCommand):
    """A command running timer jobs once, or every N seconds with --loop N: for setups
    without Celery beat, and safe beside it (the jobs use `run_each_locked`).
    `tick()` runs them and says whether anything changed and what; a loop reports only
    runs that changed something."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="keep running, every SECONDS seconds"
        )

    def tick(self) -> tuple[bool, str]:
        raise NotImplementedError

    def handle(self, *args, loop=None, **options):
        name = self.__module__.rsplit(".", 1)[-1]  # the command's name is its module's
        while True:
            changed, summary = self.tick()
            if changed or not loop:
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {name}: {summary}")
            if not loop:
                return
            time.sleep(loop)
