"""Benchmark: 消息推送 from commit to a receiver through a real Celery worker on Redis.

Starts redis-server, a `celery worker` and `celery beat` (the 5 s dispatcher) on this
database, a receiver in its own process on 127.0.0.1 (HTTP/1.1, answers 200, checks
every signature, logs event id + receive time after answering), and writer processes
that drive order changes through the real services — order_place, order_pay (the
worker then accepts), logistics order_ship, order_cancel — across many orders of one
shop with one endpoint subscribed to every event. Each change is one outbox event;
its commit time is the writer's clock right after the service returned (committed),
not the event's occurred_at (the trigger's now() is the transaction's start).

  1. steady: `--rate` changes/s for `--seconds` (after a 5 s warm-up not counted):
     delay = receive time − commit time, p50 / p95 / max (target p95 ≤ 3 s), and the CPU
     time per change of writers, worker + beat, PostgreSQL and receiver + redis (the
     figure that compares runs on a machine others are using too);
  2. outage: the receiver is killed (connections refused) for `--outage` seconds while
     changes go on at `--rate`; it comes back, changes still going on: time until every
     event committed before it came back is received (target ≤ 300 s).
Then, after a final drain: every event delivered (nothing lost), in order per order
(first receipts in outbox order), none received twice after a 200, endpoint not paused.

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/webhooks.py [--outage 600]

Run it against a throwaway database (`make bench BENCH=bench/webhooks.py` starts one).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from support.processes import free_port, start_redis  # noqa: E402
from support.webhook_load import (  # noqa: E402
    Writers,
    cpu_tree,
    parent_pid,
    read_commits,
    read_receipts,
    receive,
    start_receiver,
    write,
)

TARGET_P95_S = 3.0
TARGET_RECOVERY_S = 300.0
WARM_UP_S = 5


def pct(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def endpoint_at_end(endpoint_id: int) -> tuple[bool, int, int]:
    """The endpoint after the run: (still active, failed attempts, deliveries pending)."""
    from orders.webhooks.models import (
        DeliveryStatus,
        WebhookAttempt,
        WebhookDelivery,
        WebhookEndpoint,
    )

    active = WebhookEndpoint.objects.get(pk=endpoint_id).is_active
    failed = WebhookAttempt.objects.filter(endpoint_id=endpoint_id).exclude(status_code=200)
    pending = WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status=DeliveryStatus.PENDING)
    return active, failed.count(), pending.count()


# ---- the run ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100, help="order changes per second")
    parser.add_argument("--seconds", type=float, default=60, help="steady phase length")
    parser.add_argument("--outage", type=float, default=600, help="receiver down, seconds")
    parser.add_argument("--writers", type=int, default=4, help="writer processes")
    parser.add_argument("--concurrency", type=int, default=4, help="celery worker processes")
    parser.add_argument("--receive", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--shop", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receive:
        receive(args.receive, args.out, os.environ["BENCH_SECRET"])
        return 0
    if args.write is not None:
        write(args.write, args.shop, args.rate, args.out)
        return 0

    work = Path(tempfile.mkdtemp(prefix="xiaodian-webhooks-bench-"))
    redis_port = free_port()
    redis = start_redis(redis_port, work)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
        CACHE_URL=f"redis://127.0.0.1:{redis_port}/1",
        WEBHOOK_ALLOW_PRIVATE_URLS="1",
    )
    children: list[subprocess.Popen] = [redis]
    try:
        return run(args, work, children)
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path, children: list) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from orders.webhooks import services
    from orders.webhooks.models import EventType, WebhookEvent
    from orders.webhooks.tasks import webhooks_dispatch_task
    from products.factories import ProductFactory
    from products.models import Sku
    from shops.factories import MembershipFactory, ShopFactory, UserFactory
    from shops.tenancy import resolve_context

    if connection.vendor != "postgresql":
        print("bench/webhooks.py needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    shop = ShopFactory(name="推送压测小店", slug=f"webhooks-{stamp}")
    owner = MembershipFactory(user=UserFactory(username=f"webhooks{stamp}"), shop=shop)
    for _ in range(10):
        ProductFactory(shop=shop)
    Sku.objects.filter(shop=shop).update(stock=10**8)
    port = free_port()
    endpoint, secret = services.endpoint_create(
        context=resolve_context(owner.user, requested=f"shop:{shop.pk}"),
        url=f"http://127.0.0.1:{port}/erp/hooks",
        events=list(EventType.values),
    )
    receipts = [work / "received-1.tsv", work / "received-2.tsv"]
    receiver = start_receiver(port, receipts[0], secret)
    children.append(receiver)
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    quiet = ["--loglevel", "WARNING"]
    logs = open(work / "celery.log", "a")  # noqa: SIM115 (open as long as the run)
    worker_and_beat = [
        subprocess.Popen(
            [
                *celery,
                "worker",
                "--concurrency",
                str(args.concurrency),
                "-O",
                "fair",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *quiet,
            ],
            cwd=ROOT,
            stdout=logs,
            stderr=logs,
        ),
        subprocess.Popen(
            [*celery, "beat", "--schedule", str(work / "beat-schedule"), *quiet],
            cwd=ROOT,
            stdout=logs,
            stderr=logs,
        ),
    ]
    children.extend(worker_and_beat)
    webhooks_dispatch_task.delay().get(timeout=300)  # the worker is up and reaches us
    print(
        f"worker: prefork ×{args.concurrency}; writers: {args.writers} processes; "
        f"target rate {args.rate:.0f} changes/s; receiver on 127.0.0.1:{port}"
    )

    # 1. steady
    writers = Writers(args.writers, shop.pk, args.rate, work)
    with connection.cursor() as db:
        db.execute("SELECT pg_backend_pid()")
        postmaster = parent_pid(db.fetchone()[0])
    # CPU by role (the machine may be shared: CPU per change is the comparable figure)
    roles = {
        "writers": [process.pid for process in writers.processes],
        "worker + beat": [process.pid for process in worker_and_beat],
        "PostgreSQL": [postmaster],
        "receiver + redis": [receiver.pid, children[0].pid],  # redis started first
    }

    def cpu() -> dict[str, float]:
        return {role: sum(cpu_tree(pid) for pid in pids) for role, pids in roles.items()}

    while not all(path.exists() and path.stat().st_size for path in writers.files):
        if any(process.poll() is not None for process in writers.processes):
            raise RuntimeError("a writer stopped before its first change")
        time.sleep(0.5)  # every writer has committed its first change
    time.sleep(WARM_UP_S)
    steady_from = time.time()
    cpu_from = cpu()
    time.sleep(args.seconds)
    steady_to = time.time()
    cpu_to = cpu()
    settle = time.time() + 30  # the steady phase's events arrive before the outage
    while time.time() < settle:
        steady_keys = {(o, k) for o, k, at in read_commits(writers.files) if at < steady_to}
        events = set(WebhookEvent.objects.filter(shop=shop).values_list("order_id", "type", "id"))
        received, _ = read_receipts(receipts)
        if len({(o, k) for o, k, e in events if e in received} & steady_keys) == len(steady_keys):
            break
        time.sleep(0.5)

    # 2. outage: changes go on
    receiver.kill()
    receiver.wait()
    down_at = time.time()
    print(f"steady phase done; receiver down for {args.outage:.0f} s …", flush=True)
    time.sleep(args.outage)
    receiver = start_receiver(port, receipts[1], secret)
    children.append(receiver)
    back_at = time.time()
    commits = read_commits(writers.files)
    backlog_keys = {(o, k) for o, k, at in commits if at < back_at}
    print(f"receiver back; {len(backlog_keys):,} changes committed before it …", flush=True)
    events = {}
    recovered_at = None
    while time.time() - back_at < TARGET_RECOVERY_S + 120:
        time.sleep(2)
        events = dict(
            ((o, t), e)
            for e, o, t in WebhookEvent.objects.filter(shop=shop).values_list(
                "id", "order_id", "type"
            )
        )
        received, _ = read_receipts(receipts)
        backlog = [events.get(key) for key in backlog_keys]
        if all(e is not None and e in received for e in backlog):
            recovered_at = max(min(received[e]) for e in backlog)
            break
    writers.stop()
    stopped_at = time.time()

    # final drain: everything committed is delivered
    total = WebhookEvent.objects.filter(shop=shop).count()
    deadline = time.time() + 180
    while time.time() < deadline:
        received, _ = read_receipts(receipts)
        if len(received) >= total:
            break
        time.sleep(2)
    time.sleep(3)  # anything sent twice would arrive now

    # ---- figures ----
    commits = read_commits(writers.files)
    received, bad_signatures = read_receipts(receipts)
    rows = list(
        WebhookEvent.objects.filter(shop=shop)
        .order_by("xid", "id")
        .values_list("id", "order_id", "type")
    )
    event_of = {(o, t): e for e, o, t in rows}
    commit_of = {event_of.get((o, k)): at for o, k, at in commits}
    missing_events = sum(1 for o, k, _ in commits if (o, k) not in event_of)
    steady = [
        min(received[e]) - at
        for e, at in commit_of.items()
        if e is not None and steady_from <= at < steady_to and e in received
    ]
    steady_changes = sum(1 for _, _, at in commits if steady_from <= at < steady_to)
    outage_changes = sum(1 for _, _, at in commits if down_at <= at < back_at)
    recovery_changes = sum(1 for _, _, at in commits if back_at <= at < stopped_at)
    lost = [e for e, _, _ in rows if e not in received]
    twice = [e for e, times in received.items() if len(times) > 1]
    by_order: dict[int, list[int]] = {}
    for e, o, _ in rows:
        by_order.setdefault(o, []).append(e)
    out_of_order = sum(
        1
        for ids in by_order.values()
        if [e for e in sorted(ids, key=lambda e: min(received.get(e, [float("inf")])))] != ids
    )
    active, failed_attempts, pending = endpoint_at_end(endpoint.pk)

    steady_rate = steady_changes / (steady_to - steady_from)
    outage_rate = outage_changes / (back_at - down_at)
    recovery_rate = recovery_changes / max(stopped_at - back_at, 1e-9)
    recovery_s = (recovered_at - back_at) if recovered_at else float("nan")
    print(f"\n{'figure':<52}{'value':>14}  target", flush=True)
    cpu_ms = {
        role: 1000 * (cpu_to[role] - cpu_from[role]) / max(steady_changes, 1) for role in roles
    }
    lines = [
        ("steady: changes/s committed", f"{steady_rate:.1f}", f"{args.rate:.0f}"),
        ("steady: delay commit → receipt p50", f"{pct(steady, 0.5):.2f} s", ""),
        ("steady: delay commit → receipt p95", f"{pct(steady, 0.95):.2f} s", "≤ 3 s"),
        ("steady: delay commit → receipt max", f"{pct(steady, 1):.2f} s", ""),
        ("steady: events measured", f"{len(steady):,}/{steady_changes:,}", ""),
        *(
            (f"steady: CPU per change, {role}", f"{ms:.1f} ms", "")
            for role, ms in [*cpu_ms.items(), ("all", sum(cpu_ms.values()))]
        ),
        ("outage: seconds down", f"{back_at - down_at:.0f}", ""),
        ("outage: changes/s committed while down", f"{outage_rate:.1f}", f"{args.rate:.0f}"),
        ("outage: failed attempts (endpoint backs off)", f"{failed_attempts}", "< 20"),
        ("recovery: changes/s committed meanwhile", f"{recovery_rate:.1f}", ""),
        ("recovery: backlog (changes before it came back)", f"{len(backlog_keys):,}", ""),
        ("recovery: came back → whole backlog received", f"{recovery_s:.0f} s", "≤ 300 s"),
        ("total events / delivered / pending", f"{total:,}/{total - len(lost):,}/{pending}", ""),
        ("changes without an outbox event", f"{missing_events}", "0"),
        ("events lost (never received)", f"{len(lost)}", "0"),
        ("events received twice after a 200", f"{len(twice)}", "0"),
        ("orders received out of order", f"{out_of_order}/{len(by_order):,}", "0"),
        ("bad signatures", f"{bad_signatures}", "0"),
        ("endpoint paused at the end", f"{not active}", "False"),
    ]
    for label, value, target in lines:
        print(f"{label:<52}{value:>14}  {target}")
    checks = [
        (
            f"p95 delay ≤ {TARGET_P95_S:.0f} s at {args.rate:.0f} changes/s",
            pct(steady, 0.95) <= TARGET_P95_S and steady_rate >= 0.95 * args.rate,
        ),
        (
            f"backlog of a {args.outage:.0f} s outage received ≤ {TARGET_RECOVERY_S:.0f} s "
            "after coming back, endpoint not paused",
            recovery_s <= TARGET_RECOVERY_S and active,
        ),
        ("in order per order", out_of_order == 0),
        ("nothing lost", not lost and not missing_events),
        ("nothing received twice after a 200", not twice),
        ("every signature valid", bad_signatures == 0),
    ]
    print()
    for label, ok in checks:
        print(f"{verdict(ok)}  {label}")
    if steady_rate < 0.95 * args.rate:
        print(f"note: the writers reached {steady_rate:.0f}/s, not {args.rate:.0f}/s")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
