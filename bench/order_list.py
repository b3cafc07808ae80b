"""Benchmark: the console order list (订单管理) of a shop with 1,000,000 orders.

Fills PostgreSQL with one shop's year of orders (2–3 child orders each, every status,
a third through creators, some with after-sales) with INSERT … SELECT generate_series,
then measures the real view through Django's test client (middleware, selectors,
template): page 1, a filtered page (status + province + time range), a page 50 pages
deep (reached by following the 下一页 cursors), and 首页 with the order cards.
Reports the median and p95 server time and the SQL query count of each.
Target: median ≤ 50 ms and ≤ 10 queries.

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/order_list.py [--orders N]

Run it against a throwaway database (`make bench` starts one): it migrates and writes.
"""

import os
import re
import statistics
import sys
import time
from datetime import timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from support.console import console_client, on_postgresql, orders_argument  # noqa: E402

from orders.regions import PROVINCES  # noqa: E402
from products.factories import ProductFactory  # noqa: E402
from shops.factories import CreatorFactory, MembershipFactory, ShopFactory, UserFactory  # noqa: E402

PRODUCTS = 50
CREATORS = 50
DAYS = 365
RUNS = 30
TARGET_MS = 50
TARGET_QUERIES = 10
NEXT_LINK = re.compile(r'href="(\?[^"]+)" rel="next"')

ORDERS_SQL = """
INSERT INTO orders_order (
    shop_id, order_no, status, buyer_id, buyer_nickname,
    receiver_name, receiver_phone, receiver_province, receiver_city, receiver_district,
    receiver_street, receiver_detail,
    goods_total_fen, shipping_fen, platform_discount_fen, shop_discount_fen,
    creator_discount_fen, paid_fen, pay_method,
    created_at, pay_deadline, paid_at, exp_ship_time, shipped_at, signed_at,
    auto_complete_at, completed_at, cancelled_at, updated_at, cancel_reason,
    buyer_words, seller_remark, remark_flag, channel, traffic_source, creator_id,
    video_id, live_room_id, imported_tracking, imported_creator_id, imported_creator_name,
    receiver_masked
)
SELECT
    %(shop)s, '8' || lpad(i::text, 18, '0'), status, 'buyer' || (i %% 200000),
    '抖音用户' || (i %% 200000),
    (%(surnames)s::text[])[1 + i %% 20] || (%(names)s::text[])[1 + (i / 20) %% 20],
    '1' || (30 + i %% 60)::text || lpad((i * 7919 %% 100000000)::text, 8, '0'),
    (%(provinces)s::text[])[1 + (i * 13) %% 31], '某市', '某区', '某街道', '幸福路 ' || (i %% 999) || ' 号',
    goods, shipping, 0, 0, 0, CASE WHEN status = 1 THEN 0 ELSE goods + shipping END,
    CASE WHEN status = 1 THEN NULL ELSE 4 END,
    created, created + interval '30 minutes',
    CASE WHEN status = 1 OR (status = 4 AND i %% 2 = 0) THEN NULL
         ELSE created + interval '1 minute' END,
    CASE WHEN status IN (1, 4) THEN NULL ELSE created + interval '49 hours' END,
    CASE WHEN status IN (3, 5, 101) THEN created + interval '20 hours' END,
    NULL,
    CASE WHEN status = 3 THEN created + interval '20 hours' + interval '15 days' END,
    CASE WHEN status = 5 THEN created + interval '8 days' END,
    CASE WHEN status = 4 THEN created + interval '30 minutes' END,
    created, CASE WHEN status = 4 THEN '超时未支付，系统自动取消' ELSE '' END,
    '', CASE WHEN i %% 40 = 0 THEN '加急' ELSE '' END,
    CASE WHEN i %% 20 = 0 THEN (i / 20) %% 6 END,
    CASE WHEN via_creator THEN 2 ELSE 8 END,
    CASE WHEN via_creator THEN (ARRAY['showcase', 'video', 'live'])[1 + i %% 3]
         ELSE (ARRAY['search', 'other'])[1 + i %% 2] END,
    CASE WHEN via_creator THEN (%(creators)s::int[])[1 + i %% %(creator_count)s] END,
    '', '', '', '', '', false
FROM (
    SELECT i, created, via_creator, shipping, goods,
        CASE
            WHEN age < interval '30 minutes' THEN CASE WHEN r < 0.8 THEN 1 ELSE 2 END
            WHEN age < interval '48 hours' THEN
                CASE WHEN r < 0.7 THEN 2 WHEN r < 0.75 THEN 101 ELSE 3 END
            WHEN age < interval '72 hours' THEN CASE WHEN r < 0.1 THEN 2 ELSE 3 END
            WHEN age < interval '10 days' THEN CASE WHEN r < 0.05 THEN 4 ELSE 3 END
            ELSE CASE WHEN r < 0.07 THEN 4 ELSE 5 END
        END AS status
    FROM (
        SELECT i, random() AS r, i %% 3 = 0 AS via_creator,
            CASE WHEN i %% 4 = 0 THEN 800 ELSE 0 END AS shipping,
            now() - (%(orders)s - i) * (interval '1 day' * %(days)s / %(orders)s)
                - random() * interval '20 seconds' AS created,
            (%(orders)s - i) * (interval '1 day' * %(days)s / %(orders)s) AS age,
            (SELECT sum((%(prices)s::int[])[1 + (i * 31 + k * 17) %% %(product_count)s]
                        * (1 + (i + k) %% 2))
             FROM generate_series(1, 2 + i %% 2) AS k) AS goods
        FROM generate_series(1::bigint, %(orders)s) AS i
    ) AS g
) AS o
"""

ITEMS_SQL = """
INSERT INTO orders_orderitem (
    shop_id, order_id, item_no, product_id, sku_id, product_title, spec_text, outer_code,
    image_url, unit_price_fen, quantity, paid_fen, shipped_quantity, refunded_quantity,
    refunded_fen, product_ref
)
SELECT
    o.shop_id, o.id, '9' || lpad((o.id * 3 + k)::text, 18, '0'),
    (%(products)s::int[])[p], (%(skus)s::int[])[p], (%(titles)s::text[])[p], '颜色:黑;尺码:M', 'SJ-' || p, '',
    (%(prices)s::int[])[p], q, (%(prices)s::int[])[p] * q,
    CASE WHEN o.status IN (3, 5) OR (o.status = 101 AND k = 1) THEN q ELSE 0 END, 0, 0, ''
FROM orders_order o
CROSS JOIN LATERAL (SELECT right(o.order_no, 18)::bigint AS i) AS n
CROSS JOIN LATERAL generate_series(1, 2 + n.i %% 2) AS k
CROSS JOIN LATERAL (
    SELECT 1 + (n.i * 31 + k * 17) %% %(product_count)s AS p, 1 + (n.i + k) %% 2 AS q
) AS line
WHERE o.shop_id = %(shop)s
"""

# One order in a hundred has an after-sale on its first child order: refunded long ago,
# or still open when the order is recent.
AFTERSALES_SQL = """
INSERT INTO orders_aftersale (
    shop_id, order_id, item_id, aftersale_no, type, status, quantity, refund_fen, reason,
    description, reject_reason, return_tracking_no, return_carrier, created_at, updated_at,
    finished_at
)
SELECT o.shop_id, o.id, it.id, '7' || lpad(o.id::text, 18, '0'),
    CASE WHEN o.status = 2 THEN 2 ELSE 0 END,
    CASE WHEN o.created_at > now() - interval '12 days' THEN 6 ELSE 12 END,
    1, it.unit_price_fen, '不想要了', '', '', '', '', o.created_at + interval '2 days',
    o.created_at + interval '2 days',
    CASE WHEN o.created_at > now() - interval '12 days' THEN NULL
         ELSE o.created_at + interval '4 days' END
FROM orders_order o
JOIN LATERAL (
    SELECT id, unit_price_fen FROM orders_orderitem WHERE order_id = o.id ORDER BY id LIMIT 1
) AS it ON true
WHERE o.shop_id = %(shop)s AND o.status IN (2, 3, 5) AND o.id %% 100 = 0
"""


def fill(count: int):
    """The shop, its owner and `count` orders; returns the owner's user and shop."""
    quick_settings()
    print(f"Filling {count:,} orders …")
    filling = time.perf_counter()
    call_command("migrate", verbosity=0)
    shop = ShopFactory(name="百万订单旗舰店", slug="bench-orders")
    user = UserFactory(username="bench-owner")
    MembershipFactory(user=user, shop=shop)
    products = [ProductFactory(shop=shop, title=f"爆款商品{n:03d}") for n in range(PRODUCTS)]
    skus = [product.skus.get() for product in products]
    creators = [CreatorFactory(nickname=f"带货达人{n:02d}") for n in range(CREATORS)]
    params = {
        "shop": shop.pk,
        "orders": count,
        "days": DAYS,
        "surnames": list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"),
        "names": list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"),
        "provinces": PROVINCES[:31],
        "creators": [c.pk for c in creators],
        "creator_count": CREATORS,
        "products": [p.pk for p in products],
        "skus": [s.pk for s in skus],
        "titles": [p.title for p in products],
        "prices": [1990 + (n * 523) % 30000 for n in range(PRODUCTS)],
        "product_count": PRODUCTS,
    }
    with connection.cursor() as cursor:
        # Bulk load: foreign keys are known good (built above), so skip their triggers.
        cursor.execute("SET session_replication_role = replica")
        for label, table, sql in (
            ("orders", "orders_order", ORDERS_SQL),
            ("child orders", "orders_orderitem", ITEMS_SQL),
            ("after-sales", "orders_aftersale", AFTERSALES_SQL),
        ):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.rowcount
            # Statistics now, or the next statement plans for empty tables.
            cursor.execute(f"ANALYZE {table}")
            print(f"  {rows:>9,} {label} in {time.perf_counter() - started:.1f} s")
        cursor.execute("SET session_replication_role = DEFAULT")
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE orders_order, orders_orderitem, orders_aftersale")
        print(f"  vacuum analyze in {time.perf_counter() - started:.1f} s")
    print(f"  filled in {time.perf_counter() - filling:.0f} s")
    return user, shop


def measure(client, url: str) -> tuple[list[float], int]:
    """Server times (ms) of RUNS requests after a warm-up, and the queries of one."""
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return times, len(queries)


def deep_url(client, start: str, pages: int) -> str:
    """The URL of page `pages + 1`, reached by following 下一页 as a merchant would."""
    url = start
    for _ in range(pages):
        found = NEXT_LINK.search(client.get(url).content.decode())
        if found is None:  # fewer pages than asked for (a small --orders)
            break
        url = reverse("orders:list") + unescape(found.group(1))
    return url


def quick_settings() -> None:
    """Demo users need no strong hashes; pages link static files by name (no manifest)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def main() -> int:
    count = orders_argument(__doc__)
    if not on_postgresql():
        return 2

    user, shop = fill(count)
    client = console_client(user, f"shop:{shop.pk}")

    today = timezone.localdate()
    orders = reverse("orders:list")
    filtered = f"{orders}?" + urlencode(
        {
            "tab": "completed",
            "province": "广东省",
            "created_from": (today - timedelta(days=90)).isoformat(),
            "created_to": (today - timedelta(days=30)).isoformat(),
        }
    )
    scenarios = [
        ("订单列表 第 1 页", orders),
        ("筛选：已完成 + 广东省 + 60 天", filtered),
        ("第 51 页（沿“下一页”翻 50 次）", deep_url(client, orders, 50)),
        ("筛选后第 51 页", deep_url(client, filtered, 50)),
        ("待发货按承诺发货时间", f"{orders}?tab=to_ship&sort=ship_deadline"),
        ("首页（订单卡片）", reverse("console:home")),
    ]
    print(f"\n{'scenario':<34}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    ok = True
    for label, url in scenarios:
        times, queries = measure(client, url)
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        met = median <= TARGET_MS and queries <= TARGET_QUERIES
        ok &= met
        print(f"{label:<34}{median:>10.1f}{p95:>9.1f}{queries:>9}  {'ok' if met else 'MISSED'}")
    print(f"\ntarget: median ≤ {TARGET_MS} ms and ≤ {TARGET_QUERIES} queries per page")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
