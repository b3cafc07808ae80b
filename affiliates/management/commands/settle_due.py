from affiliates.ledger.settlement import ledger_settle_due
from core.timers import TimerCommand


class Command(TimerCommand):
    help = (
        "Settle commissions and shop settlements that are due (completed + "
        "SETTLEMENT_DELAY_DAYS), once or every N seconds with --loop N. For setups without "
        "Celery beat; safe to run alongside it."
    )

    def tick(self):
        done = ledger_settle_due()
        return any(done.values()), (
            f"{done['commissions']} commissions, {done['settlements']} shop orders settled"
        )
