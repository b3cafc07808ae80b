"""The API fuzzed from its own OpenAPI schema: whatever a client sends that the schema
allows (and much it only almost allows), the answer is never a 5xx.

Schemathesis generates the requests and sends them to the WSGI app in-process, as a
shop owner and as a creator with a cart, a few dozen per operation; random ids mostly
404, so some examples aim at the shop's and the creator's real objects instead.
Derandomised: a failure found once is found again on every run, and CI never flakes.
"""

import os
import time

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from shops.factories import DEMO_PASSWORD

# Examples per operation: the run's time bound. ~40 s for ~95 operations on an idle
# 2-core machine, half of it generating requests; FUZZ_EXAMPLES=200 digs deeper.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
# Operations a creator calls; everything else is the shop's.
CREATOR_PREFIXES = (
    "/api/v1/creator/",
    "/api/v1/lives/",
    "/api/v1/videos/",
    "/api/v1/showcase/",
    "/api/v1/market/",
    "/api/v1/me/",
)


@pytest.fixture
def world(owner):
    """A shop with a product, an order in each state that has a button, a parcel and an
    after-sale; a creator with a showcase, a video and a live session."""
    from affiliates.factories import (
        AllianceOfferFactory,
        LiveItemFactory,
        ShowcaseCreatorFactory,
        VideoItemFactory,
    )
    from logistics.factories import ShipmentFactory
    from orders.factories import OrderFactory
    from orders.models import OrderStatus
    from products.factories import ProductFactory

    shop = owner.shop
    product = ProductFactory(shop=shop)
    sku = product.skus.get()
    orders = [OrderFactory(shop=shop, status=s, lines=[(sku.pk, 1)]) for s in OrderStatus]
    shipment = ShipmentFactory(order=OrderFactory(shop=shop, lines=[(sku.pk, 1)]))
    offer = AllianceOfferFactory(product=product)
    creator = ShowcaseCreatorFactory()
    creator.user.set_password(DEMO_PASSWORD)
    creator.user.save()
    video_item = VideoItemFactory(video__creator=creator)
    live_item = LiveItemFactory(session__creator=creator)
    return {
        "owner": owner.user.username,
        "creator": creator.user.username,
        "ids": {
            "/api/v1/products/": [product.pk],
            "/api/v1/skus/": [sku.pk],
            "/api/v1/orders/": [o.pk for o in orders],
            "/api/v1/aftersales/": [],
            "/api/v1/logistics/shipments/": [shipment.pk],
            "/api/v1/alliance/offers/": [offer.pk],
            "/api/v1/members/": [owner.pk],
            "/api/v1/shops/": [shop.pk],
            "/api/v1/videos/": [video_item.video_id],
            "/api/v1/lives/": [live_item.session_id],
            "/api/v1/showcase/items/": [video_item.item_id, live_item.item_id],
        },
    }


def _token(client, username: str) -> str:
    response = client.post("/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _known_ids(path: str, ids: dict) -> list[int]:
    for prefix, known in ids.items():
        if path.startswith(prefix):
            return known
    return []


def _fuzz(operation, headers: dict, known: list[int]) -> str | None:
    """Run the operation's examples; the first 5xx as text, or None."""
    # Requests the schema allows and requests it refuses (out-of-range numbers, wrong
    # types, missing fields): the latter must be 4xx, never 5xx, too.
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    if known and "{id}" in operation.path:

        def aim(case):
            case.path_parameters = {**(case.path_parameters or {}), "id": known[0]}
            return case

        strategy = st.one_of(strategy, strategy.map(aim))
    failure = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call(app=application, headers=headers)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except BaseExceptionGroup as exc:  # schemathesis' FailureGroup
            failure.append(f"{case.method} {case.formatted_path}: {exc.exceptions[0]}"[:1500])
            raise AssertionError(failure[-1]) from None

    try:
        run()
    except AssertionError:
        return failure[0] if failure else None
    return None


@pytest.mark.django_db(transaction=True)
def test_no_operation_answers_5xx(world, client):
    # given: the schema the API serves, and a token for each kind of caller
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    owner = {"Authorization": f"Token {_token(client, world['owner'])}"}
    creator = {"Authorization": f"Token {_token(client, world['creator'])}"}
    # DELETE last: removing a member or a video must not starve the other operations.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (op.method.upper() == "DELETE", op.path, op.method),
    )
    started = time.monotonic()
    # when
    failures = []
    for operation in operations:
        is_creator = operation.path.startswith(CREATOR_PREFIXES)
        headers = creator if is_creator else owner
        failure = _fuzz(operation, headers, _known_ids(operation.path, world["ids"]))
        if failure:
            failures.append(failure)
    # then
    print(f"fuzzed {len(operations)} operations in {time.monotonic() - started:.1f} s")
    assert not failures, "\n\n".join(failures)
