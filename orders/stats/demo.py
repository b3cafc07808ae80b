"""A few months of demo orders with the shape real shops have, so 数据 tells a story
on first login: a weekly rhythm (weekends up), evening peaks (and a lunch bump), a
promotion spike (双11), slow growth, a regional skew, best sellers and returning buyers.

They are inserted in bulk (orders.stats.bulk); orders shipped long ago hold no stock
(the shop has restocked).
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..models import OrderStatus as S
from .bulk import HistoryBuilder

DAYS = 120
PER_DAY = 8
# Monday … Sunday
WEEKDAY = (0.85, 0.9, 0.95, 1.0, 1.15, 1.35, 1.3)
HOUR = (2, 1, 0.5, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3, 3.5, 4.5) + (
    6,
    5,
    3.5,
    3.5,
    3.8,
    4,
    4.5,
    6,
    9,
    10.5,
    9,
    5,
)
PROVINCES = (
    (("广东省", "深圳市", "南山区", "粤海街道", "科技园科苑路 15 号"), 14),
    (("广东省", "广州市", "天河区", "珠江新城街道", "花城大道 85 号"), 11),
    (("浙江省", "杭州市", "西湖区", "文新街道", "文三路 477 号 3 幢"), 13),
    (("江苏省", "南京市", "鼓楼区", "华侨路街道", "中山路 18 号"), 6),
    (("江苏省", "苏州市", "工业园区", "湖西街道", "星海街 200 号"), 6),
    (("上海市", "上海市", "浦东新区", "张江镇", "碧波路 690 号"), 8),
    (("北京市", "北京市", "朝阳区", "望京街道", "阜通东大街 6 号院"), 6),
    (("四川省", "成都市", "武侯区", "桂溪街道", "天府大道北段 1700 号"), 6),
    (("山东省", "青岛市", "市南区", "八大关街道", "香港中路 9 号"), 5),
    (("湖北省", "武汉市", "洪山区", "关山街道", "光谷大道 77 号"), 5),
    (("河南省", "郑州市", "金水区", "花园路街道", "花园路 39 号"), 4),
    (("福建省", "厦门市", "思明区", "鹭江街道", "鹭江道 8 号"), 4),
    (("湖南省", "长沙市", "岳麓区", "望月湖街道", "麓山南路 2 号"), 3),
    (("陕西省", "西安市", "雁塔区", "小寨路街道", "长安中路 50 号"), 3),
    (("辽宁省", "沈阳市", "和平区", "太原街街道", "中华路 66 号"), 2),
    (("云南省", "昆明市", "五华区", "华山街道", "东风西路 11 号"), 2),
    (("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "新华南路街道", "解放南路 1 号"), 1),
)


def _promotion(today: date) -> date:
    """双11 when it lies in the window, else three weeks ago."""
    for year in (today.year, today.year - 1):
        day = date(year, 11, 11)
        if timedelta(days=2) < today - day < timedelta(days=DAYS - 2):
            return day
    return today - timedelta(days=21)


def _day_factor(day: date, today: date, promotion: date) -> float:
    growth = 0.65 + 0.35 * (1 - (today - day).days / DAYS)
    spike = {0: 4.0, -1: 1.8, 1: 1.6, -2: 1.3}.get((day - promotion).days, 1.0)
    return WEEKDAY[day.weekday()] * growth * spike


def _status(rng: random.Random, age: timedelta):
    if rng.random() < 0.07:
        return S.CANCELLED
    if age < timedelta(days=1):
        return S.AWAITING_SHIPMENT
    return S.SHIPPED if age < timedelta(days=12) else S.COMPLETED


def add_history(shop, skus, attributions, rng: random.Random, now) -> int:
    """DAYS days of shaped orders of `shop` (before today's hour), inserted in bulk."""
    builder = HistoryBuilder(shop, rng, now)
    added = _add_shaped_orders(builder, skus, attributions, rng, now)
    builder.save()
    return added


def _add_shaped_orders(builder, skus, attributions, rng: random.Random, now) -> int:
    """Add DAYS days of shaped orders (before today's hour) to `builder`."""
    today = timezone.localdate(now)
    promotion = _promotion(today)
    # Best sellers: a few SKUs carry most orders, the last few barely sell.
    popularity = [1 / (n + 1) ** 1.1 for n in range(len(skus))]
    buyers: list[str] = []
    tz = timezone.get_current_timezone()
    added = 0
    for back in range(DAYS, -1, -1):
        day = today - timedelta(days=back)
        count = round(PER_DAY * _day_factor(day, today, promotion) * rng.uniform(0.85, 1.15))
        for _ in range(count):
            hour = rng.choices(range(24), weights=HOUR)[0]
            created_at = datetime.combine(day, time(hour, rng.randint(0, 59)), tz)
            if created_at >= now - timedelta(minutes=40):
                continue
            status = _status(rng, now - created_at)
            picked = rng.choices(skus, weights=popularity, k=1)[0]
            quantity = rng.choices([1, 2, 3], weights=[75, 20, 5])[0]
            if status == S.AWAITING_SHIPMENT:
                lines = builder.lines([picked], status)  # holds stock
                if not lines:
                    continue
            else:
                lines = [(picked, quantity)]
            attribution = rng.choice(attributions) if attributions and rng.random() < 0.4 else None
            order = builder.add(status, created_at, lines, attribution)
            address, _weight = rng.choices(PROVINCES, weights=[w for _a, w in PROVINCES])[0]
            for field, value in zip(
                ("province", "city", "district", "street"), address[:4], strict=True
            ):
                setattr(order, f"receiver_{field}", value)
            order.receiver_detail = f"{address[4]} {rng.randint(1, 30)}0{rng.randint(1, 4)} 室"
            if buyers and rng.random() < 0.3:
                order.buyer_id = rng.choice(buyers)
            else:
                buyers.append(order.buyer_id)
            added += 1
    return added
