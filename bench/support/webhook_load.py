"""bench/webhooks.py's load: the receiver (its own process; killed = down) and the writers
(their own processes, driving order changes through the real services), each logging
what it did to a file the benchmark reads back."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .processes import start

SCRIPT = str(Path(__file__).resolve().parent.parent / "webhooks.py")
CANCEL_EVERY = 5  # one placed order in five is cancelled instead of paid


# ---- the receiver (its own process; killed = down) ------------------------------------


def receive(port: int, out: str, secret: str) -> None:
    from core.signing import signature_valid

    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each small answer waits for a delayed ACK

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            got = time.time()
            valid = signature_valid(
                secret=secret,
                timestamp=self.headers.get("X-Xiaodian-Timestamp"),
                signature_hex=self.headers.get("X-Xiaodian-Signature"),
                body=body,
            )
            self.send_response(200 if valid else 401)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            self.wfile.flush()
            with lock:  # after the answer: a logged receipt was answered
                log.write(f"{self.headers.get('X-Xiaodian-Event-Id')}\t{got:.6f}\t{int(valid)}\n")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    with open(out, "a", buffering=1) as log:
        server.serve_forever()


def start_receiver(port: int, out: Path, secret: str) -> subprocess.Popen:
    return start(
        [sys.executable, SCRIPT, "--receive", str(port), "--out", str(out)],
        port, "the receiver", env={"BENCH_SECRET": secret},
    )  # fmt: skip


# ---- the writers (their own processes) ------------------------------------------------


def write(writer: int, shop_id: int, rate: float, out: str) -> None:
    """Order changes at `rate`/s through the services until SIGTERM; one line per
    change: order id, event type, commit time."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from core.exceptions import DomainError
    from logistics.factories import carrier, shipper_context
    from logistics.services import order_ship
    from orders.factories import RECEIVER
    from orders.models import Order, OrderStatus, PayMethod
    from orders.services import order_cancel, order_pay, order_place
    from products.models import Sku
    from shops.models import Shop

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *args: stop.set())
    shop = Shop.objects.get(pk=shop_id)
    skus = list(Sku.objects.filter(shop=shop).values_list("pk", flat=True))
    context = shipper_context(shop)
    sf = carrier("shunfeng")
    unpaid, paid = deque(), deque()  # orders to pay (or cancel); (order id, paid at) to ship

    def done(order_id: int, kind: str) -> None:
        log.write(f"{order_id}\t{kind}\t{time.time():.6f}\n")

    def ship() -> bool:
        order_id, paid_at = paid[0]
        if time.time() - paid_at < 1:
            return False
        paid.popleft()
        if not Order.objects.filter(pk=order_id, status=OrderStatus.AWAITING_SHIPMENT).exists():
            paid.append((order_id, time.time()))  # the worker has not accepted it yet
            return False
        order_ship(context=context, order_id=order_id, carrier=sf, tracking_no=f"SF{n:013d}")
        done(order_id, "order.shipped")
        return True

    def pay() -> None:
        order = unpaid.popleft()
        if order.pk % CANCEL_EVERY == 0:
            order_cancel(order_id=order.pk, reason="买家不想要了", actor_label="买家")
            done(order.pk, "order.cancelled")
            return
        order_pay(
            order_id=order.pk,
            payment_id=f"BENCH{order.pk}",
            amount_fen=order.paid_fen,
            pay_method=PayMethod.DOUYIN_PAY,
            provider="bench",
            paid_at=timezone.now(),
        )
        done(order.pk, "order.paid")
        paid.append((order.pk, time.time()))

    n = writer * 10**11  # tracking numbers unique across writers
    next_at = time.monotonic()
    with open(out, "a", buffering=1) as log:
        while not stop.is_set():
            now = time.monotonic()
            if next_at > now:
                time.sleep(next_at - now)
            next_at += 1 / rate
            n += 1
            try:
                if n % 3 == 2 and paid and ship():
                    continue
                if n % 3 == 1 and unpaid:
                    pay()
                    continue
                order = order_place(
                    shop=shop,
                    lines=[(skus[n % len(skus)], 1)],
                    receiver=dict(RECEIVER),
                    buyer={"id": f"bench{n}", "nickname": "压测买家"},
                )
            except DomainError as exc:  # reported, and the run goes on
                print(f"writer {writer}: {exc}", file=sys.stderr)
                continue
            done(order.pk, "order.created")
            unpaid.append(order)
    connection.close()


class Writers:
    def __init__(self, count: int, shop_id: int, rate: float, work: Path):
        self.files = [work / f"writer{n}.tsv" for n in range(count)]
        self.processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    SCRIPT,
                    "--write",
                    str(n),
                    "--shop",
                    str(shop_id),
                    "--rate",
                    str(rate / count),
                    "--out",
                    str(self.files[n]),
                ],
            )  # fmt: skip
            for n in range(count)
        ]

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=60)


def read_commits(files) -> list[tuple[int, str, float]]:
    rows = []
    for path in files:
        if path.exists():
            for line in path.read_text().splitlines():
                order_id, kind, at = line.split("\t")
                rows.append((int(order_id), kind, float(at)))
    return rows


def read_receipts(files) -> tuple[dict[int, list[float]], int]:
    received: dict[int, list[float]] = {}
    bad = 0
    for path in files:
        if path.exists():
            for line in path.read_text().splitlines():
                event_id, at, valid = line.split("\t")
                if valid != "1":
                    bad += 1
                    continue
                received.setdefault(int(event_id), []).append(float(at))
    return received, bad


# ---- CPU: the machine is shared, so compare CPU seconds, not only wall figures -------


def cpu_tree(pid: int) -> float:
    """CPU seconds of a process, its reaped children (exited backends, pool workers)
    and its live descendants."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = [
            child
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except OSError:  # exited meanwhile
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_tree(int(child)) for child in children)


def parent_pid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
