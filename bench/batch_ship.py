"""Benchmark: batch-ship a 10,000-row file on PostgreSQL (target ≤ 10 s from confirm to done).

Creates one shop with 10,000 paid orders (备货中, one child order each, with payments and
a ship deadline) by COPY, builds a 10,000-row CSV as a merchant would upload it, then
times the preview and the confirm → done run (the Celery task path: above 1,000 rows;
inline here as no broker is configured). Checks every order ended 已发货.

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/batch_ship.py [--rows N]

Run it against a throwaway database (`make bench` starts one): it migrates and writes.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from support.console import on_postgresql  # noqa: E402

from logistics.batch.services import ship_batch_confirm, ship_batch_preview  # noqa: E402
from logistics.models import ShipBatch, ShipBatchStatus  # noqa: E402
from orders.models import Order, OrderItem, OrderStatus, Payment, PayMethod  # noqa: E402
from products.factories import ProductFactory  # noqa: E402
from shops.factories import MembershipFactory, ShopFactory, UserFactory  # noqa: E402
from shops.tenancy import resolve_context  # noqa: E402

CARRIERS = [("顺丰", "SF{:013d}"), ("中通快递", "7{:013d}"), ("YTO", "YT{:013d}")]


def _copy(model, objects) -> None:
    """COPY model instances into their table: every concrete column, as Django would
    store it, so the rows are what the services would have written."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objects:
            copy.write_row(
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            )


def create_orders(shop, count: int) -> list[str]:
    """`count` paid orders waiting for shipment (status 2), one ¥99.00 item each."""
    sku = ProductFactory(shop=shop).skus.get()
    now = timezone.now()
    paid_at = now - timedelta(hours=2)
    base = int(timezone.localdate().strftime("%y%m%d")) * 10**13
    numbers = [str(base + n) for n in range(1, count + 1)]
    receiver = {
        "receiver_name": "张三",
        "receiver_phone": "13812345678",
        "receiver_province": "浙江省",
        "receiver_city": "杭州市",
        "receiver_district": "西湖区",
        "receiver_detail": "文三路 100 号",
    }
    with transaction.atomic():
        _copy(
            Order,
            (
                Order(
                    shop=shop,
                    order_no=number,
                    status=OrderStatus.AWAITING_SHIPMENT,
                    buyer_id=f"bench-{number[-6:]}",
                    goods_total_fen=sku.price_fen,
                    paid_fen=sku.price_fen,
                    pay_method=PayMethod.DOUYIN_PAY,
                    created_at=paid_at - timedelta(minutes=1),
                    pay_deadline=paid_at + timedelta(minutes=14),
                    paid_at=paid_at,
                    exp_ship_time=paid_at + timedelta(hours=shop.ship_within_hours),
                    updated_at=paid_at,
                    **receiver,
                )
                for number in numbers
            ),
        )
        ids = dict(Order.objects.filter(shop=shop).values_list("order_no", "pk"))
        _copy(
            OrderItem,
            (
                OrderItem(
                    shop=shop,
                    order_id=ids[number],
                    item_no=str(int(number) + 5 * 10**12),
                    product=sku.product,
                    sku=sku,
                    product_title=sku.product.title,
                    unit_price_fen=sku.price_fen,
                    quantity=1,
                    paid_fen=sku.price_fen,
                )
                for number in numbers
            ),
        )
        _copy(
            Payment,
            (
                Payment(
                    order_id=ids[number],
                    provider="bench",
                    payment_id=f"BENCH{shop.pk}-{number}",
                    amount_fen=sku.price_fen,
                    pay_method=PayMethod.DOUYIN_PAY,
                    paid_at=paid_at,
                    created_at=paid_at,
                )
                for number in numbers
            ),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return numbers


def build_file(numbers: list[str]) -> bytes:
    lines = ["订单号,快递公司,快递单号"]
    for n, number in enumerate(numbers):
        name, pattern = CARRIERS[n % len(CARRIERS)]
        lines.append(f"\t{number},{name},{pattern.format(n)}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if not on_postgresql():
        return 2

    call_command("migrate", verbosity=0)
    shop = ShopFactory(name="压测小店", slug=f"bench-{int(time.time())}")
    owner = MembershipFactory(user=UserFactory(username=f"bench{int(time.time())}"), shop=shop)
    context = resolve_context(owner.user, requested=f"shop:{shop.pk}")

    started = time.perf_counter()
    numbers = create_orders(shop, args.rows)
    print(f"created {args.rows:,} paid orders by COPY in {time.perf_counter() - started:.1f} s")
    content = build_file(numbers)

    started = time.perf_counter()
    batch = ship_batch_preview(context=context, upload=SimpleUploadedFile("bench.csv", content))
    preview_s = time.perf_counter() - started
    ready = batch.rows.filter(result="ready").count()
    print(f"preview: {batch.total_rows:,} rows ({ready:,} ready) in {preview_s:.1f} s")

    started = time.perf_counter()
    ship_batch_confirm(context=context, batch_id=batch.pk)  # runs the task once committed
    batch = ShipBatch.objects.get(pk=batch.pk)
    while batch.status not in (ShipBatchStatus.DONE, ShipBatchStatus.FAILED):
        time.sleep(0.2)  # a real worker (CELERY_BROKER_URL) runs it elsewhere
        batch = ShipBatch.objects.get(pk=batch.pk)
    done_s = time.perf_counter() - started

    shipped = Order.objects.filter(shop=shop, status=OrderStatus.SHIPPED).count()
    print(
        f"confirm → done: {done_s:.1f} s for {batch.total_rows:,} rows "
        f"({batch.total_rows / done_s:,.0f} rows/s); shipped {batch.shipped_rows:,}, "
        f"failed {batch.failed_rows:,}; orders 已发货: {shipped:,}"
    )
    ok = batch.status == ShipBatchStatus.DONE and shipped == args.rows
    print("target ≤ 10 s:", "met" if ok and done_s <= 10 else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
