"""Benchmark: 200 open live-room overlays polling their feed while a merchant uses the
order list of a shop with 1,000,000 orders.

The order list's shop is filled as in bench/order_list.py (its `fill`). 200 live sessions
get an overlay each; another process on 127.0.0.1 holds the 200 feeds open (asyncio, one
poll of `/live/<token>/feed.json?cursor=…` every 1.5 s each, as the page does) for a
bounded time, while a writer places and pays orders in random rooms through the real
services. Both pools are real gunicorn servers (sync workers, as in production):

  1. baseline: the order list on the console pool, no overlays;
  2. split (how production runs it): overlays on their own pool, the order list on the
     console pool;
  3. shared: overlays and the order list on the same pool (what the split avoids).

Reports the order list's median / p95 server time in each (target: within its own
benchmark, median ≤ 50 ms), the polls' latency and errors, and the delay from a
payment's commit to its first appearance in a feed (target ≤ 3 s).

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/live_feed.py [--orders N]

Run it against a throwaway database (`make bench` starts one): it migrates and writes.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from order_list import fill, measure  # noqa: E402  (sets Django up)

from affiliates.live_feed import POLL_MS, order_key  # noqa: E402
from affiliates.models import LiveSession  # noqa: E402
from orders.attribution import Attribution  # noqa: E402
from orders.factories import RECEIVER, pay  # noqa: E402
from orders.models import TrafficSource  # noqa: E402
from orders.services import order_place  # noqa: E402
from products.models import Sku  # noqa: E402
from shops.models import Creator  # noqa: E402
from shops.tenancy import SESSION_KEY  # noqa: E402

FEEDS = 200
WORKERS = 2  # per pool; the machine has 2 cores
RUNS = 30
WRITES_PER_S = 5
TARGET_MS = 50
TARGET_DELAY_S = 3.0


def serve():
    """The gunicorn app of this benchmark: the real site, static files linked by name
    (no collectstatic into the shared tree)."""
    from django.core.wsgi import get_wsgi_application

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return get_wsgi_application()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_pool(port: int) -> subprocess.Popen:
    bench = Path(__file__).resolve().parent
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "live_feed:serve()", "--pythonpath", str(bench),
         "--chdir", str(bench.parent), "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )  # fmt: skip
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


# ---- the pollers (another process) ----------------------------------------------------


async def _get(port: int, path: str) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head[:40])
    return body


async def _feed(port, token, stop_at, stats, seen):
    url, cursor = f"/live/{token}/feed.json", ""
    await asyncio.sleep(random.random() * POLL_MS / 1000)  # overlays open at random times
    while time.time() < stop_at:
        started = time.perf_counter()
        try:
            body = await _get(port, url + (f"?cursor={cursor}" if cursor else ""))
            data = json.loads(body)
            stats["times"].append((time.perf_counter() - started) * 1000)
            if cursor:
                for order in data["orders"]:
                    seen.setdefault(order["key"], time.time())
            cursor = data["cursor"]
        except (OSError, RuntimeError, ValueError):
            stats["errors"] += 1
        await asyncio.sleep(POLL_MS / 1000)


def run_pollers(port: int, tokens: list[str], seconds: float) -> dict:
    stats, seen = {"times": [], "errors": 0}, {}

    async def main():
        stop_at = time.time() + seconds
        await asyncio.gather(*(_feed(port, t, stop_at, stats, seen) for t in tokens))

    asyncio.run(main())
    return {"times": stats["times"], "errors": stats["errors"], "seen": seen}


# ---- the writer and the order list ----------------------------------------------------


def write_orders(sessions, skus, stop: threading.Event, committed: dict):
    """Place and pay orders in random rooms until `stop`; record each commit time."""
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
            pay(order)
            committed[order_key(order.pk)] = time.time()
            stop.wait(1 / WRITES_PER_S)
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


def scenario(label, console_port, feed_port, cookie, tokens, sessions, skus, seconds):
    if feed_port is None:
        times = measure_list(console_port, cookie)
        return label, times, None
    out = Path(f"/tmp/live-feed-bench-{os.getpid()}.json")
    pollers = subprocess.Popen(
        [sys.executable, __file__, "--poll", str(feed_port), "--seconds", str(seconds),
         "--out", str(out)],
        stdin=subprocess.PIPE,
    )  # fmt: skip
    pollers.stdin.write("\n".join(tokens).encode())
    pollers.stdin.close()
    stop, committed = threading.Event(), {}
    writer = threading.Thread(target=write_orders, args=(sessions, skus, stop, committed))
    time.sleep(5)  # every overlay open and polling
    writer.start()
    times = measure_list(console_port, cookie)
    stop.set()
    writer.join()
    pollers.wait()
    polled = json.loads(out.read_text())
    out.unlink()
    delays = [polled["seen"][key] - at for key, at in committed.items() if key in polled["seen"]]
    polled["delays"], polled["written"] = delays, len(committed)
    return label, times, polled


def pct(values, q=19) -> float:
    return statistics.quantiles(values, n=20)[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--poll", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.poll:  # the pollers' process
        tokens = sys.stdin.read().split()
        result = run_pollers(args.poll, tokens[:FEEDS], min(args.seconds, 300))
        Path(args.out).write_text(json.dumps(result))
        return 0
    if connection.vendor != "postgresql":
        print("DATABASE_URL must point at PostgreSQL", file=sys.stderr)
        return 2

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    print(f"Filling {args.orders:,} orders …")
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

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = f"shop:{shop.pk}"
    session.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    # One poll's server time in-process (the real view, no network), with a new order
    # to read every other time, as at a busy live.
    feed = reverse("live:feed_data", args=[tokens[0]])
    cursor = Client().get(feed).json()["cursor"]
    poll_times, poll_queries = measure(Client(), f"{feed}?cursor={cursor}")
    print(
        f"\none poll (in-process): median {statistics.median(poll_times):.1f} ms, "
        f"p95 {pct(poll_times):.1f} ms, {poll_queries} queries"
    )

    console_port, feed_port = free_port(), free_port()
    pools = [start_pool(console_port), start_pool(feed_port)]
    try:
        results = [
            scenario("订单列表，无直播浮层", console_port, None, cookie, tokens, sessions, skus, 0),
            scenario(
                "200 个浮层（独立进程池）", console_port, feed_port, cookie, tokens, sessions, skus,
                args.seconds,
            ),
            scenario(
                "200 个浮层（与后台同一进程池）", console_port, console_port, cookie, tokens,
                sessions, skus, args.seconds,
            ),
        ]  # fmt: skip
    finally:
        for pool in pools:
            pool.terminate()
            pool.wait()

    ok = True
    print(f"\n{'scenario':<30}{'list median':>12}{'list p95':>10}{'polls/s':>9}"
          f"{'poll p50':>9}{'poll p95':>9}{'errors':>7}{'delay p95':>10}{'seen':>9}")  # fmt: skip
    for label, times, polled in results:
        median = statistics.median(times)
        line = f"{label:<30}{median:>12.1f}{pct(times):>10.1f}"
        if polled:
            polls = polled["times"]
            delays = polled["delays"] or [float("nan")]
            line += (
                f"{len(polls) / args.seconds:>9.0f}{statistics.median(polls):>9.1f}"
                f"{pct(polls):>9.1f}{polled['errors']:>7}{pct(delays):>9.2f}s"
                f"{len(polled['delays']):>5}/{polled['written']}"
            )
            ok &= polled["errors"] == 0 and pct(delays) <= TARGET_DELAY_S
        ok &= median <= TARGET_MS or "同一" in label
        print(line)
    print(
        f"\ntargets: order list median ≤ {TARGET_MS} ms with the overlays on their own pool; "
        f"payment → overlay p95 ≤ {TARGET_DELAY_S:.0f} s; no poll errors"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
