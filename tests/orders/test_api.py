import pytest

from orders.attribution import Attribution
from orders.factories import RECEIVER, OrderFactory
from orders.models import (
    AfterSaleStatus,
    Channel,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    RemarkFlag,
    TrafficSource,
)
from products.factories import ProductFactory, SkuFactory
from shops.factories import CreatorFactory
from shops.roles import Role

from . import aftersale_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as):
    """api(membership=None, token=False) -> an API client of the member's user (no shop header:
    a user of one shop acts for it)."""
    return lambda membership=None, token=False: api_as(membership and membership.user, token=token)


@pytest.fixture
def refund_request(paid):
    return aftersale_support.refund_request(paid)


def _id_endpoints(order_id, aftersale_id):
    return [
        ("get", f"/api/v1/orders/{order_id}/"),
        ("get", f"/api/v1/orders/{order_id}/events/"),
        ("post", f"/api/v1/orders/{order_id}/remark/"),
        ("post", f"/api/v1/orders/{order_id}/reveal/"),
        ("post", f"/api/v1/orders/{order_id}/cancel/"),
        ("get", f"/api/v1/aftersales/{aftersale_id}/"),
        ("post", f"/api/v1/aftersales/{aftersale_id}/agree/"),
        ("post", f"/api/v1/aftersales/{aftersale_id}/reject/"),
        ("post", f"/api/v1/aftersales/{aftersale_id}/receive/"),
    ]


@pytest.mark.parametrize(
    "url", ["/api/v1/orders/", "/api/v1/orders/1/", "/api/v1/aftersales/", "/api/v1/orders/counts/"]
)
def test_anonymous_gets_401(api, url):
    response = api().get(url)
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_another_shops_objects_are_404(api, other_owner, paid, refund_request):
    # given
    client = api(other_owner)
    # when
    answers = {
        url: getattr(client, method)(url, {}, format="json").status_code
        for method, url in _id_endpoints(paid.pk, refund_request.pk)
    }
    # then
    assert set(answers.values()) == {404}, answers


def test_list_masks_receivers_and_works_out_deadlines(api, owner, paid):
    # when
    body = api(owner).get("/api/v1/orders/").json()
    # then
    row = body["results"][0]
    assert (body["next"], body["previous"]) == (None, None)
    assert row["order_no"] == paid.order_no and row["status"] == 2
    assert row["receiver"]["phone"] == "138****5678"
    assert row["ship_deadline"]["state"] == "ok"
    assert row["items"][0]["paid_fen"] == 9900


def test_list_uses_the_console_filters(api, owner, shop, paid):
    # given
    product = ProductFactory(shop=shop, title="羊毛围巾", sku=None)
    sku = SkuFactory(product=product, outer_code="WJ-01")
    creator = CreatorFactory(nickname="小鹿同学")
    scarf = OrderFactory(
        shop=shop,
        lines=[(sku.pk, 1)],
        receiver={**RECEIVER, "province": "广东省"},
        attribution=_attribution(creator),
    )
    # when
    found = api(owner).get(
        "/api/v1/orders/",
        {"tab": "to_ship", "province": "广东省", "outer_code": "WJ-01", "creator": "小鹿"},
    )
    # then
    assert [row["id"] for row in found.json()["results"]] == [scarf.pk]


def _attribution(creator):
    return Attribution(
        creator_id=creator.pk, channel=Channel.ALLIANCE, traffic_source=TrafficSource.LIVE
    )


def test_list_follows_next_links(api, owner, bare_order):
    # given
    ids = sorted(bare_order(OrderStatus.UNPAID).pk for _ in range(5))
    client = api(owner)
    # when
    seen, url = [], "/api/v1/orders/?size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    # then
    assert seen == ids[::-1]


def test_a_bad_cursor_is_a_400_naming_it(api, owner):
    response = api(owner).get("/api/v1/orders/", {"cursor": "nope"})
    assert response.status_code == 400
    assert "cursor" in response.json()["fields"]


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow(api, owner, shop, count, django_assert_max_num_queries):
    # given
    product = ProductFactory(shop=shop, sku=None)
    skus = [SkuFactory(product=product, spec_text=f"颜色:{c}", stock=500) for c in "红蓝"]
    for _ in range(count):
        OrderFactory(shop=shop, lines=[(skus[0].pk, 1), (skus[1].pk, 1)])
    client = api(owner)
    # when: user, context (2), page, items
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/orders/", {"size": 50})
    # then
    assert len(response.json()["results"]) == count


def test_counts(api, owner, paid):
    body = api(owner).get("/api/v1/orders/counts/").json()
    assert {"tab": "to_ship", "count": "1"} in body and {"tab": "unpaid", "count": "0"} in body


def test_detail_and_events(api, owner, paid):
    client = api(owner)
    detail = client.get(f"/api/v1/orders/{paid.pk}/").json()
    events = client.get(f"/api/v1/orders/{paid.pk}/events/").json()
    assert detail["aftersales"] == [] and detail["in_aftersale"] is False
    assert events[0]["to_status"] == OrderStatus.UNPAID and events[0]["actor"] == "买家"


def test_remark_keeps_what_is_left_out(api, owner, paid):
    # given
    Order.objects.filter(pk=paid.pk).update(seller_remark="旧备注")
    # when
    body = api(owner).post(f"/api/v1/orders/{paid.pk}/remark/", {"flag": 4}, format="json").json()
    # then
    assert (body["seller_remark"], body["remark_flag"]) == ("旧备注", RemarkFlag.ORANGE)


def test_bulk_remark_counts_only_the_shops_orders(api, owner, other_owner, shop, paid):
    # given
    theirs = OrderFactory(shop=other_owner.shop)
    # when
    response = api(owner).post(
        "/api/v1/orders/bulk-remark/",
        {"order_ids": [paid.pk, theirs.pk], "remark": "先发"},
        format="json",
    )
    # then
    assert response.json() == {"updated": 1}
    theirs.refresh_from_db()
    assert theirs.seller_remark == ""


def test_remark_with_a_bad_flag_names_the_field(api, owner, paid):
    response = api(owner).post(f"/api/v1/orders/{paid.pk}/remark/", {"flag": 9}, format="json")
    assert response.status_code == 400 and "flag" in response.json()["fields"]


def test_reveal_is_logged(api, owner, paid):
    response = api(owner).post(f"/api/v1/orders/{paid.pk}/reveal/")
    assert response.json()["phone"] == "13812345678"
    event = OrderEvent.objects.get(order=paid, kind=OrderEventKind.RECEIVER_REVEAL)
    assert event.actor == owner.user


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        (Role.OPERATOR, "post", "reveal/"),
        (Role.WAREHOUSE, "post", "remark/"),
        (Role.WAREHOUSE, "post", "cancel/"),
    ],
)
def test_roles_are_checked(api, make_member, shop, paid, role, method, path):
    client = api(make_member(role, shop=shop))
    response = getattr(client, method)(f"/api/v1/orders/{paid.pk}/{path}", {}, format="json")
    assert response.status_code == 403


def test_cancel_an_unpaid_order(api, owner, shop):
    order = OrderFactory(shop=shop, status=OrderStatus.UNPAID)
    body = (
        api(owner)
        .post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": "买家要求"}, format="json")
        .json()
    )
    assert (body["status"], body["cancel_reason"]) == (OrderStatus.CANCELLED, "买家要求")


def test_cancel_a_paid_order_answers_the_services_message(api, owner, paid):
    response = api(owner).post(
        f"/api/v1/orders/{paid.pk}/cancel/", {"reason": "不要了"}, format="json"
    )
    assert response.status_code == 400
    assert "不能直接取消" in response.json()["message"]


# --- integrations placing orders ------------------------------------------------------


@pytest.fixture
def sku(shop):
    product = ProductFactory(shop=shop, title="纯棉短袖T恤", sku=None)
    return SkuFactory(product=product, spec_text="颜色:白", price_fen=5900, stock=5)


def _place_body(sku, **changes):
    body = {
        "lines": [{"sku_id": sku.pk, "quantity": 2}],
        "receiver": {k: v for k, v in RECEIVER.items()},
        "buyer": {"id": "dy-778", "nickname": "抖音用户778"},
        "buyer_words": "尽快发货",
        "shipping_fen": 800,
        "attribution": {"channel": Channel.SHOP, "traffic_source": TrafficSource.SEARCH},
    }
    return {**body, **changes}


def test_integration_places_an_order_with_its_token(api, make_member, shop, sku):
    # given: an integration account with the 运营 role and an API token
    integration = make_member(Role.OPERATOR, shop=shop)
    # when
    response = api(integration, token=True).post("/api/v1/orders/", _place_body(sku), format="json")
    # then
    body = response.json()
    assert response.status_code == 201, body
    order = Order.objects.get(pk=body["id"])
    assert (order.shop, order.status, order.paid_fen) == (shop, OrderStatus.UNPAID, 2 * 5900 + 800)
    assert order.traffic_source == TrafficSource.SEARCH and order.buyer_words == "尽快发货"
    sku.refresh_from_db()
    assert sku.stock == 3


def test_placing_needs_the_permission(api, make_member, shop, sku):
    client = api(make_member(Role.WAREHOUSE, shop=shop), token=True)
    response = client.post("/api/v1/orders/", _place_body(sku), format="json")
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_placing_another_shops_sku_is_refused(api, other_owner, sku):
    response = api(other_owner, token=True).post("/api/v1/orders/", _place_body(sku), format="json")
    assert response.status_code == 400
    assert "不属于本店" in response.json()["message"]
    assert not Order.objects.exists()


def test_placing_with_a_bad_body_names_the_fields(api, owner, sku):
    # when
    response = api(owner).post(
        "/api/v1/orders/",
        _place_body(sku, lines=[{"sku_id": sku.pk, "quantity": 0}], buyer={}),
        format="json",
    )
    # then
    fields = response.json()["fields"]
    assert response.status_code == 400
    assert "quantity" in str(fields["lines"]) and "id" in fields["buyer"]


def test_placing_with_an_unknown_creator_names_it(api, owner, sku):
    body = _place_body(sku, attribution={"creator_id": 987654})
    response = api(owner).post("/api/v1/orders/", body, format="json")
    assert response.status_code == 400
    assert "987654" in str(response.json()["fields"]["attribution"])


# --- after-sales ----------------------------------------------------------------------


def test_aftersale_list_and_detail(api, owner, refund_request):
    client = api(owner)
    listed = client.get("/api/v1/aftersales/", {"tab": "pending"}).json()["results"]
    detail = client.get(f"/api/v1/aftersales/{refund_request.pk}/").json()
    assert [a["id"] for a in listed] == [refund_request.pk]
    assert detail["events"][0]["actor"] == "买家" and detail["order_no"]


def test_agree_through_the_api(api, owner, refund_request):
    body = api(owner).post(f"/api/v1/aftersales/{refund_request.pk}/agree/").json()
    assert body["status"] == AfterSaleStatus.SUCCEEDED


def test_reject_needs_a_reason(api, owner, refund_request):
    response = api(owner).post(f"/api/v1/aftersales/{refund_request.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]


def test_receive_in_the_wrong_status_answers_the_services_message(api, owner, refund_request):
    response = api(owner).post(f"/api/v1/aftersales/{refund_request.pk}/receive/")
    assert response.status_code == 400
    assert response.json()["code"] == "aftersale_refused"


def test_operator_cannot_agree(api, make_member, shop, refund_request):
    client = api(make_member(Role.OPERATOR, shop=shop))
    response = client.post(f"/api/v1/aftersales/{refund_request.pk}/agree/")
    assert response.status_code == 403
