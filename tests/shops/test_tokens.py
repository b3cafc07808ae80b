from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from shops.factories import UserFactory
from shops.models import ApiToken
from shops.tokens import api_token_create

pytestmark = pytest.mark.django_db


def _api(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_obtaining_a_token_with_the_password_still_works(owner):
    # when
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": owner.user.username, "password": "xiaodian123", "name": "ERP"},
    )
    # then
    body = response.json()
    assert response.status_code == 200 and body["expiry"]
    assert _api(body["token"]).get("/api/v1/me/").json()["id"] == owner.user_id
    assert ApiToken.objects.get(user=owner.user).name == "ERP"


def test_a_wrong_password_gets_no_token(owner):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": owner.user.username, "password": "nope"}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"password"}
    assert not ApiToken.objects.exists()


def test_tokens_are_stored_hashed(owner):
    # when
    instance, token = api_token_create(user=owner.user, name="ERP")
    # then: neither the token nor its tail is in the row
    row = ApiToken.objects.values().get()
    assert token not in str(row)
    assert row["digest"] == hash_token(token) and row["token_key"] == token[:15]
    assert instance.expiry is not None


def test_a_token_expires(owner, settings):
    # given
    instance, token = api_token_create(user=owner.user)
    assert instance.expiry - timezone.now() > timedelta(days=29)
    # when: its time is up
    ApiToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _api(token).get("/api/v1/me/")
    # then
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_logout_revokes_the_token_in_use(owner):
    # given
    _instance, token = api_token_create(user=owner.user)
    _other, kept = api_token_create(user=owner.user)
    # when
    response = _api(token).post("/api/v1/auth/logout/")
    # then
    assert response.status_code == 204
    assert _api(token).get("/api/v1/me/").status_code == 401
    assert _api(kept).get("/api/v1/me/").status_code == 200


def test_a_password_change_revokes_every_token(owner):
    # given
    _instance, token = api_token_create(user=owner.user)
    user = owner.user
    # when
    user.set_password("a-new-long-password")
    user.save()
    # then
    assert _api(token).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_saving_a_user_without_a_new_password_keeps_tokens(owner):
    _instance, token = api_token_create(user=owner.user)
    owner.user.first_name = "王"
    owner.user.save()
    assert _api(token).get("/api/v1/me/").status_code == 200


def test_owner_creates_a_token_in_settings_and_sees_it_once(client, owner):
    # given
    client.force_login(owner.user)
    # when
    created = client.post(reverse("console:settings_tokens"), {"name": "打单软件"})
    listed = client.get(reverse("console:settings_tokens"))
    # then
    token = created.context["new_token"]
    assert token in created.content.decode()
    assert token not in listed.content.decode()
    assert "打单软件" in listed.content.decode()
    assert _api(token).get("/api/v1/me/").status_code == 200


def test_owner_revokes_a_token_in_settings(client, owner):
    # given
    instance, token = api_token_create(user=owner.user, name="ERP")
    client.force_login(owner.user)
    # when
    response = client.post(reverse("console:settings_token_revoke", args=[instance.token_key]))
    # then
    assert response.status_code == 302
    assert _api(token).get("/api/v1/me/").status_code == 401


def test_another_users_token_cannot_be_revoked(client, owner, other_owner):
    # given
    instance, token = api_token_create(user=other_owner.user)
    client.force_login(owner.user)
    # when
    response = client.post(reverse("console:settings_token_revoke", args=[instance.token_key]))
    # then
    assert response.status_code == 404
    assert _api(token).get("/api/v1/me/").status_code == 200


def test_the_token_list_shows_only_the_users_own_tokens(client, owner, other_owner):
    api_token_create(user=other_owner.user, name="别人的令牌")
    api_token_create(user=owner.user, name="我的令牌")
    client.force_login(owner.user)
    html = client.get(reverse("console:settings_tokens")).content.decode()
    assert "我的令牌" in html and "别人的令牌" not in html


def test_a_locked_out_pair_gets_no_token(settings):
    # given
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        APIClient().post("/api/v1/auth/token/", {"username": "target", "password": "x"})
    # when
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "target", "password": "xiaodian123"}
    )
    # then
    assert response.status_code == 429
    assert response.json()["message"] == "登录尝试过多，已暂时锁定，请稍后再试。"
    assert not ApiToken.objects.exists()
