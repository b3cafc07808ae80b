"""Benchmark: 数据 (orders.stats) on a shop with 1,000,000 orders.

Fills the shop as bench/order_list.py does (a year of orders, every status, a third
through creators, after-sales), rebuilds the rollups with `stats_rebuild` (what a bulk
load does; the services keep them from then on), then measures through Django's test
client, for the last 30 days and for a year: every API view; the 数据 page (headline
figures) and each section it then fetches; and one creator's 数据看板 (the page and each
of its sections) and API views. Target: median ≤ 200 ms each.

    DATABASE_URL=postgres://… SECRET_KEY=… python bench/analytics.py [--orders N]
"""

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from order_list import fill, measure  # noqa: E402  (sets up Django)
from support.console import console_client, on_postgresql, orders_argument  # noqa: E402

from affiliates.board.api import ENDPOINTS as CREATOR_ENDPOINTS  # noqa: E402
from affiliates.board.tables import VIEWS as BOARD_VIEWS  # noqa: E402
from orders.stats.api import ENDPOINTS  # noqa: E402
from orders.stats.views import SECTIONS  # noqa: E402
from shops.models import Creator  # noqa: E402
from shops.tenancy import ContextKind  # noqa: E402

TARGET_MS = 200


def main() -> int:
    count = orders_argument(__doc__)
    if not on_postgresql():
        return 2
    user, shop = fill(count)
    started = time.perf_counter()
    call_command("stats_rebuild", shop=[shop.pk])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  rollups rebuilt in {time.perf_counter() - started:.1f} s")

    client = console_client(user, f"shop:{shop.pk}")
    creator = Creator.objects.order_by("pk").first()
    creator_client = console_client(creator.user, ContextKind.CREATOR)

    views = [(name, client, f"/api/v1/stats/{name}/") for name in ENDPOINTS]
    views.append(("数据页面（首屏）", client, reverse("stats:overview")))
    views += [
        (f"数据页面 · {view}", client, reverse("stats:section", args=[view]))
        for view, _label in SECTIONS
    ]
    views.append(("达人数据看板（首屏）", creator_client, reverse("affiliates:board")))
    views += [
        (f"达人数据看板 · {view}", creator_client, reverse("affiliates:board_section", args=[view]))
        for view in BOARD_VIEWS
    ]
    views += [
        (f"达人 API {name}", creator_client, f"/api/v1/creator/stats/{name}/")
        for name in CREATOR_ENDPOINTS
    ]
    today = timezone.localdate()
    periods = {
        "30 天": (today - timedelta(days=29), today),
        "一年": (today - timedelta(days=365), today),
    }
    print(f"\n{'view':<28}{'period':<8}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    ok = True
    for name, who, path in views:
        for label, (start, end) in periods.items():
            url = f"{path}?" + urlencode({"from": start.isoformat(), "to": end.isoformat()})
            if name.endswith("provinces"):
                url += "&province=" + "广东省"
            times, queries = measure(who, url)
            median = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            met = median <= TARGET_MS
            ok &= met
            print(
                f"{name:<28}{label:<8}{median:>10.1f}{p95:>9.1f}{queries:>9}"
                f"  {'ok' if met else 'MISSED'}"
            )
    print(f"\ntarget: median ≤ {TARGET_MS} ms per view")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
