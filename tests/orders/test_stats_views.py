"""数据 pages, CSV files and API: shape, scoping, permissions and query budgets."""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from products.factories import ProductFactory, SkuFactory
from shops.roles import Role

from .stats_support import Clock, bj, place

pytestmark = pytest.mark.django_db

VIEWS = ["overview", "trend", "products", "provinces", "hours", "price-bands", "channels"]
# Each endpoint's queries at most: auth and context (4), then the view's own.
API_BUDGET = {
    "overview": 6,
    "trend": 5,
    "products": 8,
    "provinces": 6,
    "hours": 5,
    "price-bands": 5,
    "channels": 8,
}


@pytest.fixture
def sales(owner, monkeypatch):
    """A few paid orders of the owner's shop on 2026-11-10, one product named like a
    formula."""
    from orders.factories import pay

    clock = Clock(monkeypatch, bj(2026, 11, 10, 20))
    product = ProductFactory(shop=owner.shop, title="=HYPERLINK(1)", sku=None)
    sku = SkuFactory(product=product, price_fen=5000, stock=99)
    for n in range(3):
        pay(place(owner.shop, [(sku.pk, n + 1)], buyer=f"b{n}"), paid_at=clock.now)
    return owner


def _api(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


PERIOD = {"from": "2026-11-10", "to": "2026-11-10"}


def test_overview_api_answers_the_figures_and_the_previous_period(sales):
    # when
    response = _api(sales).get("/api/v1/stats/overview/", PERIOD)
    # then
    assert response.status_code == 200
    body = response.json()
    keys = {
        "orders",
        "paid_orders",
        "gmv_fen",
        "buyers",
        "aov_fen",
        "refund_fen",
        "refund_rate",
        "cancelled",
    }
    assert set(body) == keys | {"previous"} and set(body["previous"]) == keys
    assert (body["paid_orders"], body["gmv_fen"], body["buyers"]) == (3, 30000, 3)
    assert body["previous"]["orders"] == 0


@pytest.mark.parametrize("view", VIEWS)
def test_every_stats_endpoint_keeps_its_query_budget(sales, view, django_assert_max_num_queries):
    client = _api(sales)
    with django_assert_max_num_queries(API_BUDGET[view]):
        response = client.get(f"/api/v1/stats/{view}/", {**PERIOD, "province": "浙江省"})
    assert response.status_code == 200


@pytest.mark.parametrize("view", VIEWS)
def test_every_stats_endpoint_is_in_the_openapi_schema(client, view):
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    assert f"/api/v1/stats/{view}/" in schema["paths"]


def test_a_bad_period_is_a_400_naming_the_field(sales):
    response = _api(sales).get("/api/v1/stats/trend/", {"from": "2026-11-10", "to": "x"})
    assert response.status_code == 400
    assert "to" in response.json()["fields"]


def test_another_shops_figures_are_out_of_reach(sales, other_owner):
    # given: the other shop's owner, asking for this shop by header
    client = _api(other_owner)
    # when
    own = client.get("/api/v1/stats/overview/", PERIOD).json()
    foreign = client.get("/api/v1/stats/overview/", PERIOD, HTTP_X_SHOP_ID=str(sales.shop_id))
    # then
    assert own["orders"] == 0
    assert foreign.status_code == 404


def test_a_role_without_data_view_is_refused(sales, make_member):
    service = make_member(Role.SERVICE, shop=sales.shop)
    assert _api(service).get("/api/v1/stats/overview/", PERIOD).status_code == 403


def test_the_page_shows_the_figures_and_fetches_each_section(
    client, sales, django_assert_max_num_queries
):
    # given
    client.force_login(sales.user)
    # when
    with django_assert_max_num_queries(15):
        response = client.get(reverse("stats:overview"), PERIOD)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "¥300.00" in html
    for view in ("trend", "products", "provinces", "hours", "price-bands", "channels"):
        assert f'hx-get="{reverse("stats:section", args=[view])}?' in html
    assert "<script>" not in html.replace('<script id="', "")  # no inline script


@pytest.mark.parametrize(
    "view", ["trend", "products", "provinces", "hours", "price-bands", "channels"]
)
def test_each_section_renders_its_charts_and_tables(
    client, sales, view, django_assert_max_num_queries
):
    # given
    client.force_login(sales.user)
    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stats:section", args=[view]), PERIOD)
    # then
    html = response.content.decode()
    assert response.status_code == 200 and "data-table=" in html and "<html" not in html
    assert "<script>" not in html.replace('<script id="', "")


def test_an_unknown_section_is_404(client, sales):
    client.force_login(sales.user)
    assert client.get(reverse("stats:section", args=["nope"]), PERIOD).status_code == 404


def test_the_csv_download_neutralises_formulas(client, sales):
    # given
    client.force_login(sales.user)
    # when
    response = client.get(reverse("stats:export", kwargs={"panel": "products_orders"}), PERIOD)
    # then
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:2] == ["商品", "支付订单数"]
    assert rows[1][:2] == ["'=HYPERLINK(1)", "3"] and rows[1][3] == "300.00"


def test_an_unknown_panel_is_404(client, sales):
    client.force_login(sales.user)
    assert client.get(reverse("stats:export", kwargs={"panel": "nope"})).status_code == 404


def test_home_shows_todays_headline_cards(client, owner):
    client.force_login(owner.user)
    html = client.get(reverse("console:home")).content.decode()
    assert "今日成交金额" in html and "较昨日" in html
