import os
import shutil

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django's ORM then
# refuses to run unless told the loop is not serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_service(available: bool, what: str) -> None:
    """Under CI a missing service fails the test; elsewhere it is skipped, loudly."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is not available, and CI=true requires it", pytrace=False)
    pytest.skip(f"WARNING: {what} is not available")


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters (orders.limits) live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Categories and carriers are seeded by data migrations; a transactional test's
    flush removes them, so put them back for the tests that follow."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from logistics.carriers import seed_carriers
    from logistics.models import Carrier
    from products.categories import seed_categories
    from products.models import Category

    request.getfixturevalue(
        "transactional_db" if "transactional_db" in request.fixturenames else "db"
    )
    if not Category.objects.exists():
        seed_categories(Category)
    if not Carrier.objects.exists():
        seed_carriers(Carrier)


@pytest.fixture(autouse=True, scope="session")
def _on_postgresql(django_db_setup, django_db_blocker):
    if IN_CI and connection.vendor != "postgresql":
        pytest.exit("CI=true requires PostgreSQL (DATABASE_URL)", returncode=1)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Chinese browser, as merchants' and buyers' are (the console follows Accept-Language)."""
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    require_service(executable is not None, "Debian's chromium")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture
def make_member():
    """make_member(role, shop=None) -> Membership of a new user."""
    from shops.factories import MembershipFactory, ShopFactory, UserFactory

    def make(role="owner", shop=None, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        return MembershipFactory(user=user, shop=shop or ShopFactory(), role=role)

    return make


@pytest.fixture
def owner(make_member):
    return make_member("owner")


@pytest.fixture
def other_owner(make_member):
    """The owner of a second, unrelated shop."""
    return make_member("owner")


@pytest.fixture
def shop(owner):
    return owner.shop


@pytest.fixture
def shop_context(owner, context_for):
    """The owner's ConsoleContext."""
    return context_for(owner)


@pytest.fixture
def api_as():
    """api_as(user=None, shop=None, token=False) -> an API client: anonymous, or signed in
    as `user` (with a real API token when `token`), acting for `shop` when one is given."""
    from rest_framework.test import APIClient

    from shops.tokens import api_token_create

    def make(user=None, shop=None, *, token=False):
        client = APIClient()
        headers = {}
        if user is not None and token:
            _instance, key = api_token_create(user=user)
            headers["HTTP_AUTHORIZATION"] = f"Token {key}"
        elif user is not None:
            client.force_authenticate(user)
        if shop is not None:
            headers["HTTP_X_SHOP_ID"] = str(shop.pk)
        client.credentials(**headers)
        return client

    return make


@pytest.fixture
def shop_api(api_as):
    """shop_api(membership) -> an API client signed in as the member, acting for its shop."""
    return lambda membership: api_as(membership.user, membership.shop)


@pytest.fixture
def as_member(client):
    """as_member(membership) -> the test client logged in as that member."""

    def login(membership):
        client.force_login(membership.user)
        return client

    return login


@pytest.fixture
def context_for():
    from shops.tenancy import resolve_context

    def make(membership):
        return resolve_context(membership.user, requested=f"shop:{membership.shop_id}")

    return make


@pytest.fixture
def console_login(live_server, page):
    """console_login(username) signs in through the real login form; returns the page.

    Browser tests need committed data (the live server has its own connection), so
    use `transactional_db` in them.
    """
    from shops.factories import DEMO_PASSWORD

    def login(username, password=DEMO_PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")
        return page

    return login
