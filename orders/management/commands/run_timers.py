from core.timers import TimerCommand
from orders.services import orders_cancel_unpaid, orders_complete_due
from orders.webhooks.delivery import dispatch, drain


class Command(TimerCommand):
    help = (
        "Run the order timers (cancel unpaid orders, complete due ones, webhook retries) once, or every "
        "N seconds with --loop N. For setups without Celery beat; safe to run alongside it."
    )

    def tick(self):
        cancelled = orders_cancel_unpaid()
        completed = orders_complete_due()
        # 消息推送 retries and events no change kicked (Celery beat does it without this).
        dispatch(deliver=lambda endpoint_id, batch: drain(endpoint_id=endpoint_id, batch=batch))
        return bool(cancelled or completed), f"{cancelled} unpaid cancelled, {completed} completed"
