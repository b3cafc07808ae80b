"""Real concurrent transactions for the tests that race (PostgreSQL, transaction=True)."""

import threading

from django.db import connection


def run_together(calls):
    """Run each call in its own thread, released at the same moment; return the
    exception each raised (None for success)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def refused(outcomes, error_class) -> int:
    """How many of `outcomes` are `error_class`; any other exception fails the test."""
    others = [o for o in outcomes if o is not None and not isinstance(o, error_class)]
    assert not others, others
    return sum(isinstance(o, error_class) for o in outcomes)
