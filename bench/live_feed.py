"""Benchmark: 200 open live-room overlays on their event streams while a merchant uses
the order list of a shop with 1,000,000 orders.

The order list's shop is filled as in bench/order_list.py (its `fill`). 200 live sessions
get an overlay each. As in production (README): the console is a gunicorn pool of sync
workers, /live/ is ONE uvicorn process (ASGI), and a payment rings the feeds through
Redis pub/sub (a private redis-server on a free port). Another process on 127.0.0.1
holds the 200 event streams open (asyncio, `/live/<token>/events/`, as EventSource
does), while a writer places and pays 5 orders/s in random rooms through the real
services and the order list is fetched over HTTP from the console pool:

  1. baseline: the order list alone;
  2. 200 open feeds on uvicorn + the writer, the order list on the console pool;
  3. the same feeds left idle (no writer): what 200 waiting feeds cost.

Reports the order list's median / p95 (target: median ≤ 50 ms, its own benchmark), the
delay from a payment to its first appearance in a feed (target p95 ≤ 3 s), stream
errors (target 0), and the uvicorn process's CPU and database connections.

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/live_feed.py [--orders N]

Run it against a throwaway database (`make bench` starts one): it migrates and writes.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from order_list import fill, quick_settings  # noqa: E402  (sets Django up)
from support.console import console_client, on_postgresql  # noqa: E402
from support.processes import cpu_seconds, free_port, start, start_redis  # noqa: E402

from affiliates.live_feed import Room, feed_read, order_key  # noqa: E402
from affiliates.models import LiveSession  # noqa: E402
from orders.attribution import Attribution  # noqa: E402
from orders.factories import RECEIVER, pay  # noqa: E402
from orders.models import TrafficSource  # noqa: E402
from orders.services import order_place  # noqa: E402
from products.models import Sku  # noqa: E402
from shops.models import Creator  # noqa: E402

FEEDS = 200
WORKERS = 2  # the console pool; the machine has 2 cores
RUNS = 30
WRITES_PER_S = 5
TARGET_MS = 50
TARGET_DELAY_S = 3.0
BENCH = Path(__file__).resolve().parent


def serve():
    """The gunicorn app of this benchmark: the real site, static files linked by name
    (no collectstatic into the shared tree)."""
    from django.core.wsgi import get_wsgi_application

    quick_settings()
    return get_wsgi_application()


def start_console(port: int) -> subprocess.Popen:
    return start(
        [sys.executable, "-m", "gunicorn", "live_feed:serve()", "--pythonpath", str(BENCH),
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning"],
        port, "gunicorn",
    )  # fmt: skip


def start_feeds(port: int, redis: str) -> subprocess.Popen:
    return start(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log",
         "--timeout-graceful-shutdown", "3"],
        port, "uvicorn", env={"CELERY_BROKER_URL": redis},
    )  # fmt: skip


# ---- the overlays (another process) ---------------------------------------------------


async def _feed(port, token, stop, stats, seen):
    """One overlay: an event stream read as EventSource does (HTTP/1.0 keeps the body
    unchunked), every order key's first arrival noted, until `stop`."""
    await asyncio.sleep(random.random() * 2)  # overlays open at random times
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /live/{token}/events/ HTTP/1.0\r\nHost: 127.0.0.1\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith((b"HTTP/1.0 200", b"HTTP/1.1 200")):
            raise RuntimeError(head[:40])
        line = None
        while True:
            line = line or asyncio.ensure_future(reader.readline())
            await asyncio.wait({line, stop}, return_when=asyncio.FIRST_COMPLETED)
            if not line.done():
                line.cancel()
                break
            text, line = line.result(), None
            if not text:
                raise RuntimeError("the stream ended")
            if text.startswith(b"data: "):
                stats["open"] += stats["events"].setdefault(token, 0) == 0
                stats["events"][token] += 1
                now = time.time()
                for order in json.loads(text[6:])["orders"]:
                    seen.setdefault(order["key"], now)
        writer.close()
    except (OSError, RuntimeError, ValueError, asyncio.IncompleteReadError) as error:
        stats["errors"] += 1
        stats.setdefault("error", repr(error))


def run_feeds(port: int, tokens: list[str]) -> dict:
    """Open the feeds; say "open" on stdout once each has its first event (or a minute
    passed); hold them until a line on stdin."""
    stats = {"open": 0, "events": {}, "errors": 0}
    seen = {}

    async def main():
        loop = asyncio.get_running_loop()
        stop = loop.create_future()

        def wait_for_stop():
            sys.stdin.readline()
            loop.call_soon_threadsafe(stop.set_result, None)

        threading.Thread(target=wait_for_stop, daemon=True).start()
        feeds = [asyncio.create_task(_feed(port, t, stop, stats, seen)) for t in tokens]
        for _ in range(600):
            if stats["open"] + stats["errors"] >= len(tokens):
                break
            await asyncio.sleep(0.1)
        print("open", flush=True)
        await asyncio.gather(*feeds)

    asyncio.run(main())
    return {**stats, "events": sum(stats["events"].values()), "seen": seen}


# ---- the writer and the order list ----------------------------------------------------


def write_orders(sessions, skus, stop: threading.Event, committed: dict):
    """Place and pay orders in random rooms until `stop`; record when each was paid."""
    next_at = time.time()
    try:
        while not stop.is_set():
            session = random.choice(sessions)
            sku = random.choice(skus)
            order = order_place(
                shop=sku.shop,
                lines=[(sku.pk, 1)],
                receiver=dict(RECEIVER),
                buyer={"id": f"viewer{random.randint(1, 10**6)}", "nickname": "观众"},
                attribution=Attribution(
                    creator_id=session.creator_id,
                    traffic_source=TrafficSource.LIVE,
                    live_room_id=str(session.pk),
                ),
            )
            # Timed from before the payment (a few ms early, never late).
            paying = time.time()
            pay(order)
            committed[order_key(order.pk)] = paying
            next_at += 1 / WRITES_PER_S  # on a schedule: a slow write is caught up
            stop.wait(max(0, next_at - time.time()))
    finally:
        connection.close()


def measure_list(port: int, cookie: str) -> list[float]:
    path = reverse("orders:list")
    times = []
    for n in range(RUNS + 3):
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        assert response.status == 200, response.status
        if n >= 3:  # warm-up
            times.append(elapsed)
        time.sleep(0.2)
    return times


class Overlays:
    """The overlays' process: open, then closed with `close()` (their figures)."""

    def __init__(self, port: int, tokens: list[str]):
        self.out = Path(tempfile.gettempdir()) / f"live-feed-bench-{os.getpid()}.json"
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--feeds", str(port), "--out", str(self.out)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.process.stdin.write(" ".join(tokens) + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "open"

    def close(self) -> dict:
        self.process.stdin.write("stop\n")
        self.process.stdin.close()
        self.process.wait()
        result = json.loads(self.out.read_text())
        self.out.unlink()
        return result


def backends() -> int:
    with connection.cursor() as db:
        db.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return db.fetchone()[0]


def with_feeds(console_port, feed_port, uvicorn, cookie, tokens, sessions, skus):
    overlays = Overlays(feed_port, tokens)
    stop, committed = threading.Event(), {}
    writer = threading.Thread(target=write_orders, args=(sessions, skus, stop, committed))
    cpu = cpu_seconds(uvicorn.pid)
    started = time.time()
    writer.start()
    times = measure_list(console_port, cookie)
    db = backends()
    stop.set()
    writer.join()
    elapsed = time.time() - started
    cpu = (cpu_seconds(uvicorn.pid) - cpu) / elapsed
    time.sleep(TARGET_DELAY_S)  # the last payment's time to arrive
    fed = overlays.close()
    delays = [fed["seen"][key] - at for key, at in committed.items() if key in fed["seen"]]
    rate = len(committed) / elapsed
    return times, {**fed, "delays": delays, "written": len(committed), "rate": rate, "cpu": cpu,
                   "db": db}  # fmt: skip


def idle_feeds(feed_port, uvicorn, tokens, seconds=10) -> dict:
    """200 open feeds and nothing happening: the uvicorn process's CPU meanwhile."""
    overlays = Overlays(feed_port, tokens)
    cpu = cpu_seconds(uvicorn.pid)
    time.sleep(seconds)
    cpu = (cpu_seconds(uvicorn.pid) - cpu) / seconds
    return {**overlays.close(), "cpu": cpu}


def pct(values, q=19) -> float:
    return statistics.quantiles(values, n=20)[q - 1] if len(values) > 1 else values[0]


def one_read(token: str) -> tuple[float, int]:
    """One feed's read after a ring, in-process: a new order to read, as at a busy live."""
    session = LiveSession.objects.get(feed_token=token)
    room = Room.of_session(session)
    cursor = feed_read(room=room, cursor=None, session=session).cursor
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        page = feed_read(room=room, cursor=cursor, session=session)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        feed_read(room=room, cursor=page.cursor, session=session)
    return statistics.median(times), len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--feeds", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.feeds:  # the overlays' process
        tokens = sys.stdin.readline().split()
        result = run_feeds(args.feeds, tokens[:FEEDS])
        Path(args.out).write_text(json.dumps(result))
        return 0
    if not on_postgresql():
        return 2
    if not shutil.which("redis-server"):
        print("redis-server is needed (the feeds' pub/sub)", file=sys.stderr)
        return 2

    user, shop = fill(args.orders)
    creators = list(Creator.objects.order_by("pk")[:50])
    sessions = LiveSession.objects.bulk_create(
        LiveSession(
            creator=creators[n % len(creators)],
            title=f"直播专场{n:03d}",
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now() + timedelta(hours=10),
        )
        for n in range(FEEDS)
    )
    tokens = [s.feed_token for s in sessions]
    skus = list(Sku.objects.filter(shop=shop).select_related("shop")[:20])
    Sku.objects.filter(pk__in=[s.pk for s in skus]).update(stock=1_000_000)

    client = console_client(user, f"shop:{shop.pk}")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"

    read_ms, read_queries = one_read(tokens[0])
    print(f"\none feed read after a ring (in-process): median {read_ms:.1f} ms, "
          f"{read_queries} queries")  # fmt: skip

    console_port, feed_port, redis_port = free_port(), free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="live-feed-bench-")
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    servers = [start_redis(redis_port, workdir)]
    # This process pays: it publishes on the same Redis (its Celery stays inline).
    settings.CELERY_BROKER_URL = redis_url
    try:
        servers += [start_console(console_port), start_feeds(feed_port, redis_url)]
        uvicorn = servers[-1]
        alone = measure_list(console_port, cookie)
        times, fed = with_feeds(console_port, feed_port, uvicorn, cookie, tokens, sessions, skus)
        idle = idle_feeds(feed_port, uvicorn, tokens)
    finally:
        for server in reversed(servers):
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    delays = fed["delays"] or [float("nan")]
    median = statistics.median(times)
    print(f"\n{'':<34}{'list median':>12}{'list p95':>10}")
    print(f"{'订单列表，无直播浮层':<30}{statistics.median(alone):>12.1f}{pct(alone):>10.1f}")
    print(f"{'200 个浮层（uvicorn）+ 每秒 5 单':<26}{median:>12.1f}{pct(times):>10.1f}")
    print(
        f"\nfeeds: {fed['open']}/{FEEDS} open, {fed['errors']} errors"
        f"{' (' + fed['error'] + ')' if fed.get('error') else ''}, {fed['events']} events; "
        f"payment → overlay p50 {statistics.median(delays):.2f} s, p95 {pct(delays):.2f} s, "
        f"max {max(delays):.2f} s, {len(fed['delays'])}/{fed['written']} seen "
        f"({fed['rate']:.1f} payments/s); "
        f"uvicorn {fed['cpu'] * 100:.0f}% of a core; {fed['db']} database connections "
        f"(all processes)"
    )
    print(
        f"idle: {idle['open']}/{FEEDS} feeds open, {idle['errors']} errors, uvicorn "
        f"{idle['cpu'] * 100:.1f}% of a core"
    )
    checks = {
        f"order list median ≤ {TARGET_MS} ms": median <= TARGET_MS,
        f"payment → overlay p95 ≤ {TARGET_DELAY_S:.0f} s": pct(delays) <= TARGET_DELAY_S,
        "every order seen": len(fed["delays"]) == fed["written"],
        # On a busy machine the writer falls behind and the load is lighter than asked.
        f"writer paid {WRITES_PER_S}/s": fed["rate"] >= 0.9 * WRITES_PER_S,
        "no stream errors": fed["errors"] == 0 and idle["errors"] == 0,
        "every feed open": fed["open"] == FEEDS and idle["open"] == FEEDS,
    }
    for check, ok in checks.items():
        print(f"{'PASS' if ok else 'MISS'}  {check}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
