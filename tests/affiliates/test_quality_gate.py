"""The 淘宝/天猫 quality gate, rule by rule, on items of the offline fixture."""

from dataclasses import replace
from decimal import Decimal

import pytest

from affiliates.factories import BlockedCategoryFactory
from affiliates.selectors import quality_gate_failures
from affiliates.sources import Dsr, OfflineSourceClient, ShopLevel

pytestmark = pytest.mark.django_db


def item(item_id, source="taobao"):
    return OfflineSourceClient().item_details(source, item_id)


def test_a_good_taobao_item_passes():
    assert quality_gate_failures(item("652314789012")) == []


@pytest.mark.parametrize(
    ("item_id", "rule"),
    [
        ("723456789012", "店铺描述相符评分 4.71 未高于行业平均 4.78"),
        ("734567890123", "店铺服务态度评分 4.75 未高于行业平均 4.78"),
        ("745678901234", "店铺物流服务评分 4.70 未高于行业平均 4.79"),
        ("756789012345", "店铺等级为一钻，需在一钻以上"),
        ("767890123456", "店铺等级为三心，需在一钻以上"),
    ],
)
def test_each_failed_rule_is_named(item_id, rule):
    assert quality_gate_failures(item(item_id)) == [rule]


def test_a_score_equal_to_the_average_is_not_above_it():
    # given: a fixture item whose three scores equal their averages
    failures = quality_gate_failures(item("790123456780"))
    # then
    assert len(failures) == 3
    assert all("未高于行业平均" in f for f in failures)


def test_a_blocked_category_and_everything_below_it_is_refused():
    # given
    BlockedCategoryFactory(name="医疗器械")
    # when
    failures = quality_gate_failures(item("778901234567"))
    # then
    assert failures == ["类目“医疗器械/隐形眼镜”禁止推广"]


def test_without_the_block_the_same_category_passes():
    assert quality_gate_failures(item("778901234567")) == []


def test_a_refusal_lists_every_failed_rule():
    # given
    BlockedCategoryFactory(name="电子烟")
    # when
    failures = quality_gate_failures(item("789012345678"))
    # then
    assert len(failures) == 5


def test_tmall_shops_rank_above_any_level():
    good = item("652314789012")
    assert quality_gate_failures(replace(good, shop_level=ShopLevel.TMALL)) == []


def test_other_sources_have_no_gate():
    # given: a 京东 item with scores far below the average
    low = Dsr(Decimal("1.0"), Decimal("4.9"))
    jd = replace(item("100012043978", "jd"), dsr_description=low, shop_level=1)
    # then
    assert quality_gate_failures(jd) == []
