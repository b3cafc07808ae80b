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
