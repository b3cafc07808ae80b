"""Tenancy, checked over the whole URL map: every console page and API endpoint that
takes an object id answers 404 when the object belongs to another shop or creator.

A new route with an id fails `test_every_route_with_an_id_is_classified` until it is
listed below, so no page can slip past this check.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from affiliates.factories import (
    AllianceOfferFactory,
    ExternalItemFactory,
    LiveSessionFactory,
    ShowcaseCategoryFactory,
    ShowcaseCreatorFactory,
    VideoFactory,
)
from affiliates.ledger.factories import alliance_order
from affiliates.ledger.services import commissions_record_paid
from logistics.factories import ShipmentFactory
from logistics.models import ShipBatch
from orders.factories import OrderFactory
from orders.files.models import ExportSchedule, ExportTemplate, OrderExport, OrderImport
from orders.models import OrderStatus
from orders.webhooks.factories import delivery_make, endpoint_make
from products.factories import ProductFactory
from products.models import ProductImage
from shops.factories import MembershipFactory, ShopFactory, UserFactory
from shops.roles import Role
from shops.tokens import api_token_create
from tests.orders.aftersale_support import refund_request

SHOP, CREATOR, PUBLIC = "shop", "creator", "public"


def _aftersale(shop):
    order = OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT)
    return refund_request(order, reason="不想要了").pk


def _alliance_order(creator):
    """A 精选联盟 order earning the creator a commission (the signal's work done here:
    on-commit callbacks do not run in these tests)."""
    order = alliance_order(creator=creator)
    commissions_record_paid(order_id=order.pk)
    return order.pk


# How to make another tenant's object for each id a route takes.
SHOP_OBJECTS = {
    "membership_id": lambda shop: MembershipFactory(shop=shop, role=Role.SERVICE).pk,
    "product_id": lambda shop: ProductFactory(shop=shop).pk,
    "image_id": lambda shop: (
        ProductImage.objects.create(product=ProductFactory(shop=shop), image="products/x.png").pk
    ),
    "sku_id": lambda shop: ProductFactory(shop=shop).skus.get().pk,
    "offer_id": lambda shop: AllianceOfferFactory(product=ProductFactory(shop=shop)).pk,
    "order_id": lambda shop: OrderFactory(shop=shop).pk,
    "aftersale_id": _aftersale,
    "shipment_id": lambda shop: ShipmentFactory(order=OrderFactory(shop=shop)).pk,
    "batch_id": lambda shop: (
        ShipBatch.objects.create(shop=shop, file_name="发货.csv", file_sha256="0" * 64).pk
    ),
    "export_id": lambda shop: (
        OrderExport.objects.create(
            shop=shop, by="item", format="csv", status="done", file="exports/x.csv"
        ).pk
    ),
    "template_id": lambda shop: (
        ExportTemplate.objects.create(shop=shop, name="仓库", by="item", columns=["order_no"]).pk
    ),
    "schedule_id": lambda shop: (
        ExportSchedule.objects.create(
            shop=shop, name="每日", by="item", format="csv", at_time="08:00"
        ).pk
    ),
    "import_id": lambda shop: (
        OrderImport.objects.create(shop=shop, file_name="a.csv", file="order-imports/a.csv").pk
    ),
    "endpoint_id": lambda shop: endpoint_make(shop=shop).pk,
    "delivery_id": lambda shop: delivery_make(shop=shop).pk,
    # API tokens belong to a user: another shop's member's token.
    "token_id": lambda shop: api_token_create(user=MembershipFactory(shop=shop).user)[0].token_key,
}
CREATOR_OBJECTS = {
    "item_id": lambda creator: ExternalItemFactory(creator=creator).pk,
    "category_id": lambda creator: ShowcaseCategoryFactory(creator=creator).pk,
    "video_id": lambda creator: VideoFactory(creator=creator).pk,
    "session_id": lambda creator: LiveSessionFactory(creator=creator).pk,
    "product_id": lambda creator: ProductFactory(shop=MembershipFactory(user=creator.user).shop).pk,
    "order_id": _alliance_order,
}
# The API's `pk` is the object of the viewset's basename.
API_OBJECTS = {
    "shop": lambda shop: shop.pk,
    "member": SHOP_OBJECTS["membership_id"],
    "product": SHOP_OBJECTS["product_id"],
    "sku": SHOP_OBJECTS["sku_id"],
    "order": SHOP_OBJECTS["order_id"],
    "aftersale": SHOP_OBJECTS["aftersale_id"],
    "alliance-offer": SHOP_OBJECTS["offer_id"],
    "shipment": SHOP_OBJECTS["shipment_id"],
    "showcase-item": CREATOR_OBJECTS["item_id"],
    "showcase-category": CREATOR_OBJECTS["category_id"],
    "video": CREATOR_OBJECTS["video_id"],
    "live": CREATOR_OBJECTS["session_id"],
}

# Every route with an id, by whose objects it reaches.
CONSOLE_ROUTES = {
    "console:settings_member_role": SHOP,
    "console:settings_member_remove": SHOP,
    "console:settings_token_revoke": SHOP,
    "products:detail": SHOP,
    "products:edit": SHOP,
    "products:publish": SHOP,
    "products:unpublish": SHOP,
    "products:image_upload": SHOP,
    "products:image_remove": SHOP,
    "products:stock_adjust": SHOP,
    "affiliates:alliance_detail": SHOP,
    "affiliates:alliance_close": SHOP,
    "affiliates:alliance_reopen": SHOP,
    "orders:detail": SHOP,
    "orders:remark": SHOP,
    "orders:reveal": SHOP,
    "orders:cancel": SHOP,
    "aftersales:detail": SHOP,
    "aftersales:agree": SHOP,
    "aftersales:reject": SHOP,
    "aftersales:receive": SHOP,
    "logistics:order_ship": SHOP,
    "logistics:exchange_ship": SHOP,
    "logistics:shipment_correct": SHOP,
    "logistics:batch_detail": SHOP,
    "logistics:batch_confirm": SHOP,
    "logistics:batch_progress": SHOP,
    "logistics:batch_report": SHOP,
    "webhooks:detail": SHOP,
    "webhooks:pause": SHOP,
    "webhooks:resume": SHOP,
    "webhooks:test": SHOP,
    "webhooks:redeliver": SHOP,
    "orders:files:export_detail": SHOP,
    "orders:files:export_progress": SHOP,
    "orders:files:export_download": SHOP,
    "orders:files:export_template_delete": SHOP,
    "orders:files:schedule_delete": SHOP,
    "orders:files:import_detail": SHOP,
    "orders:files:import_mapping": SHOP,
    "orders:files:import_confirm": SHOP,
    "orders:files:import_progress": SHOP,
    "affiliates:showcase_add_shop": CREATOR,
    "affiliates:showcase_item": CREATOR,
    "affiliates:showcase_item_move": CREATOR,
    "affiliates:showcase_item_remove": CREATOR,
    "affiliates:showcase_category_delete": CREATOR,
    "affiliates:videos_detail": CREATOR,
    "affiliates:videos_delete": CREATOR,
    "affiliates:videos_detach": CREATOR,
    "affiliates:lives_detail": CREATOR,
    "affiliates:lives_delete": CREATOR,
    "affiliates:lives_explain": CREATOR,
    "affiliates:lives_unexplain": CREATOR,
    "affiliates:lives_remove": CREATOR,
    "affiliates:lives_feed_rotate": CREATOR,
    "affiliates:income_order": CREATOR,
    # 选品广场 lists every open alliance offer to every creator: nothing to isolate.
    "affiliates:market_add": PUBLIC,
    # What buyers see without an account.
    "showcase:public": PUBLIC,
    "showcase:item": PUBLIC,
    "buyer:product": PUBLIC,
    "buyer:checkout": PUBLIC,
    # Buyer pages are reached by a signed order link, tested in tests/orders.
    "buyer:aftersale_return": PUBLIC,
    "buyer:aftersale_cancel": PUBLIC,
    # The live overlay: no login, its random token is the credential (rotation and
    # scoping in tests/affiliates/test_live_feed.py); it names no id.
    "live:feed": PUBLIC,
    "live:events": PUBLIC,
}
# Carriers are platform reference data, the same for every shop.
PUBLIC_API = {"carrier"}
OTHER_KWARGS = {"direction": "up", "fmt": "csv"}


def _routes():
    def walk(patterns, ns=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    ns + (f"{pattern.namespace}:" if pattern.namespace else ""),
                )
            elif pattern.name:
                yield ns + pattern.name, pattern

    return dict(walk(get_resolver().url_patterns))


def _id_kwargs(pattern) -> list[str]:
    names = pattern.pattern.regex.groupindex
    return [name for name in names if name == "pk" or name.endswith("_id")]


ROUTES = _routes()
CONSOLE_WITH_IDS = sorted(
    name for name, p in ROUTES.items() if not name.startswith(("api:", "admin:")) and _id_kwargs(p)
)
API_WITH_IDS = sorted(
    name for name, p in ROUTES.items() if name.startswith("api:") and _id_kwargs(p)
)


def _api_basename(name: str) -> str:
    basename = name.removeprefix("api:")
    return re.sub(
        r"-(detail|publish|unpublish|stock-adjust|cancel|events|remark|reveal|agree|receive|reject|move|detach|items|explaining|remove|close|rates|reopen|correct)$",
        "",
        basename,
    )


def test_every_route_with_an_id_is_classified():
    assert set(CONSOLE_WITH_IDS) - set(CONSOLE_ROUTES) == set()
    assert {_api_basename(n) for n in API_WITH_IDS} - set(API_OBJECTS) - PUBLIC_API == set()


@pytest.fixture
def tenants(db):
    """A signed-in owner of shop A who is also an eligible creator, and shop B / creator B."""
    user = UserFactory(username="tenant-a")
    MembershipFactory(user=user, shop=ShopFactory(slug="tenant-a"), role=Role.OWNER)
    ShowcaseCreatorFactory(user=user)
    return {"user": user, "shop": ShopFactory(slug="tenant-b"), "creator": ShowcaseCreatorFactory()}


def _foreign_kwargs(name, tenants, builders, owner):
    kwargs = {}
    for key in _id_kwargs(ROUTES[name]):
        kwargs[key] = builders[key](tenants[owner])
    for key in ROUTES[name].pattern.regex.groupindex:
        kwargs.setdefault(key, OTHER_KWARGS.get(key))
    return kwargs


def _assert_404(responses):
    statuses = [r.status_code for r in responses]
    assert 404 in statuses and set(statuses) <= {404, 405}, statuses


@pytest.mark.parametrize("name", [n for n in CONSOLE_WITH_IDS if CONSOLE_ROUTES.get(n) != PUBLIC])
def test_console_route_answers_404_for_another_tenants_object(client, tenants, name):
    # given
    kind = CONSOLE_ROUTES[name]
    builders = SHOP_OBJECTS if kind == SHOP else CREATOR_OBJECTS
    url = reverse(name, kwargs=_foreign_kwargs(name, tenants, builders, kind))
    client.force_login(tenants["user"])
    if kind == CREATOR:
        client.post(reverse("console:switch"), {"context": "creator"})
    # when
    responses = [client.get(url), client.post(url, {"role": "service", "reason": "x"})]
    # then
    _assert_404(responses)


@pytest.mark.parametrize("name", [n for n in API_WITH_IDS if _api_basename(n) not in PUBLIC_API])
def test_api_route_answers_404_for_another_tenants_object(tenants, name):
    # given
    basename = _api_basename(name)
    build = API_OBJECTS[basename]
    owner = "creator" if build in CREATOR_OBJECTS.values() else "shop"
    kwargs = {"pk": build(tenants[owner])}
    if "item_id" in ROUTES[name].pattern.regex.groupindex:
        kwargs["item_id"] = CREATOR_OBJECTS["item_id"](tenants["creator"])
    api = APIClient()
    api.force_authenticate(tenants["user"])
    # The header picks whom the call acts for: the user's shop, or the creator profile.
    headers = {} if owner == "shop" else {"HTTP_X_SHOP_ID": "creator"}
    url = reverse(name, kwargs=kwargs)
    # when
    responses = [
        getattr(api, method)(url, {}, format="json", **headers)
        for method in ("get", "post", "patch", "delete")
    ]
    # then
    _assert_404(responses)


# Figures over a shop's orders (数据) take no id: they are scoped to whom the call acts
# for, and another shop named by X-Shop-Id is a 404.
STATS_ROUTES = sorted(name for name in ROUTES if name.startswith("api:stats-"))


@pytest.mark.parametrize("name", STATS_ROUTES)
def test_stats_route_answers_404_for_another_shop(tenants, name):
    # given
    api = APIClient()
    api.force_authenticate(tenants["user"])
    # when
    response = api.get(reverse(name), HTTP_X_SHOP_ID=str(tenants["shop"].pk))
    # then
    assert response.status_code == 404


# A creator's 数据看板 takes no id either: it is scoped to the caller's own creator
# profile, and acting for a shop (even the caller's own) reaches none of it.
CREATOR_STATS_ROUTES = sorted(name for name in ROUTES if name.startswith("api:creator-stats-"))


@pytest.mark.parametrize("name", CREATOR_STATS_ROUTES)
def test_creator_stats_route_answers_404_when_acting_for_a_shop(tenants, name):
    # given
    api = APIClient()
    api.force_authenticate(tenants["user"])
    shop_id = tenants["user"].memberships.get().shop_id
    # when
    response = api.get(reverse(name), HTTP_X_SHOP_ID=str(shop_id))
    # then
    assert response.status_code == 404
