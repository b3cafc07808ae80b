import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from affiliates.ledger.settlement import ledger_settle_due


class Command(BaseCommand):
    help = (
        "Settle commissions and shop settlements that are due (completed + "
        "SETTLEMENT_DELAY_DAYS), once or every N seconds with --loop N. For setups without "
        "Celery beat; safe to run alongside it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="keep running, every SECONDS seconds"
        )

    def handle(self, *args, loop=None, **options):
        while True:
            done = ledger_settle_due()
            if any(done.values()) or not loop:
                self.stdout.write(
                    f"{timezone.localtime():%Y-%m-%d %H:%M:%S} settle_due: "
                    f"{done['commissions']} commissions, {done['settlements']} shop orders settled"
                )
            if not loop:
                return
            time.sleep(loop)
