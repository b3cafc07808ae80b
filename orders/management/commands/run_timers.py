import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from orders.services import orders_cancel_unpaid, orders_complete_due
from orders.webhooks.delivery import dispatch, drain


class Command(BaseCommand):
    help = (
        "Run the order timers (cancel unpaid orders, complete due ones, webhook retries) once, or every "
        "N seconds with --loop N. For setups without Celery beat; safe to run alongside it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="keep running, every SECONDS seconds"
        )

    def handle(self, *args, loop=None, **options):
        while True:
            cancelled = orders_cancel_unpaid()
            completed = orders_complete_due()
            # 消息推送 retries and events no change kicked (Celery beat does it without this).
            dispatch(deliver=lambda endpoint_id, batch: drain(endpoint_id=endpoint_id, batch=batch))
            if cancelled or completed or not loop:
                self.stdout.write(
                    f"{timezone.localtime():%Y-%m-%d %H:%M:%S} run_timers: "
                    f"{cancelled} unpaid cancelled, {completed} completed"
                )
            if not loop:
                return
            time.sleep(loop)
