import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.clientip import client_ip
from shops.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_FAILURE = {"username": "target", "password": "wrong"}
LOGIN_RIGHT = {"username": "target", "password": "xiaodian123"}


def _request(remote="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged first entry is skipped
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # did not come through both proxies
        (1, None, "10.0.0.1"),
        (1, "not-an-ip", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_counts_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def _login(client, data, ip):
    # Every request reaches the app from the proxy at 10.0.0.1.
    return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=ip)


def test_a_strangers_failures_from_elsewhere_do_not_lock_the_user(client, settings):
    # given: behind one proxy; a stranger fails more than the limit on the user's name
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _login(client, LOGIN_FAILURE, "198.51.100.66")
    # when: the user logs in from their own address
    response = _login(client, LOGIN_RIGHT, "203.0.113.9")
    # then
    assert response.status_code == 302
    assert response.url == reverse("console:home")


def test_the_strangers_own_pair_is_locked(client, settings):
    # given
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, LOGIN_FAILURE, "198.51.100.66")
    # when: even the right password from that address
    response = _login(client, LOGIN_RIGHT, "198.51.100.66")
    # then
    assert response.status_code == 429


def test_an_address_spraying_many_usernames_is_throttled(client, settings):
    # given: never more than 2 failures per username, 6 in all from one address
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    UserFactory(username="target")
    for n in range(3):
        for _ in range(2):
            _login(client, {"username": f"victim{n}", "password": "x"}, "198.51.100.66")
    # when
    sprayer = _login(client, LOGIN_RIGHT, "198.51.100.66")
    elsewhere = _login(client, LOGIN_RIGHT, "203.0.113.9")
    # then: the address is refused; the user elsewhere is not
    assert sprayer.status_code == 429
    assert elsewhere.status_code == 302
