import pytest


@pytest.fixture
def creator_context():
    """creator_context(creator) -> the console context of that creator acting as 达人."""
    from shops.tenancy import ContextKind, resolve_context

    def make(creator):
        return resolve_context(creator.user, requested=ContextKind.CREATOR)

    return make


@pytest.fixture
def showcase_creator():
    from affiliates.factories import ShowcaseCreatorFactory

    return ShowcaseCreatorFactory()


@pytest.fixture
def offline_client():
    from affiliates.sources import OfflineSourceClient

    return OfflineSourceClient()


@pytest.fixture
def as_creator(client):
    """as_creator(creator) -> the test client signed in as that creator, acting as 达人."""
    from shops.tenancy import SESSION_KEY, ContextKind

    def login(creator):
        client.force_login(creator.user)
        session = client.session
        session[SESSION_KEY] = ContextKind.CREATOR
        session.save()
        return client

    return login


@pytest.fixture
def other_creators_showcase():
    """(item, video, session): a showcase item, a video and a live session of another creator."""
    from affiliates.factories import (
        ExternalItemFactory,
        LiveSessionFactory,
        ShowcaseCreatorFactory,
        VideoFactory,
    )

    other = ShowcaseCreatorFactory()
    return (
        ExternalItemFactory(creator=other),
        VideoFactory(creator=other),
        LiveSessionFactory(creator=other),
    )


@pytest.fixture
def other_shops_offer(other_owner):
    """A 精选联盟 offer of another shop's product."""
    from affiliates.factories import AllianceOfferFactory
    from products.factories import ProductFactory

    return AllianceOfferFactory(product=ProductFactory(shop=other_owner.shop))


@pytest.fixture
def settled_creator(settings):
    """A creator with ¥17.82 settled (one ¥99.00 order at 20%, less the 10% fee)."""
    from affiliates.factories import ShowcaseCreatorFactory
    from affiliates.ledger.factories import alliance_order
    from affiliates.ledger.settlement import ledger_settle_due
    from orders.models import OrderStatus

    from .ledger_support import committed

    settings.SETTLEMENT_DELAY_DAYS = 0
    creator = ShowcaseCreatorFactory()
    committed(alliance_order, creator=creator, status=OrderStatus.COMPLETED)
    ledger_settle_due()
    return creator


@pytest.fixture
def live_cart(showcase_creator):
    """(session, first, second): a live session of `showcase_creator` carrying two items,
    neither being explained."""
    from affiliates.factories import LiveItemFactory, LiveSessionFactory

    session = LiveSessionFactory(creator=showcase_creator)
    return session, LiveItemFactory(session=session), LiveItemFactory(session=session)
