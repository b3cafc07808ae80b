"""The error contract: a refused permission is a 403 and an object out of reach a 404,
on pages and in the API, whichever layer (here: the service) refuses."""

import pytest
from rest_framework.test import APIClient

from shops.models import Membership
from shops.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


def test_a_service_refusing_the_permission_is_a_403_page(client, make_member):
    # given
    member = make_member(Role.SERVICE)
    client.force_login(member.user)
    # when
    response = client.get("/page/add-member/")
    # then
    assert response.status_code == 403
    assert Membership.objects.filter(shop=member.shop).count() == 1


def test_not_found_from_a_service_is_a_404_page(client, make_member):
    # given
    client.force_login(make_member(Role.OWNER).user)
    # when
    response = client.get("/page/missing/")
    # then
    assert response.status_code == 404


def test_a_service_refusing_the_permission_is_a_403_in_the_api(make_member):
    # given
    member = make_member(Role.WAREHOUSE)
    api = APIClient()
    api.force_authenticate(member.user)
    # when
    response = api.post("/api/add-member/")
    # then
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "你的角色没有这项权限。",
        "fields": {},
    }


def test_not_found_from_a_service_is_a_404_in_the_api(owner):
    # given
    api = APIClient()
    api.force_authenticate(owner.user)
    # when
    response = api.get("/api/missing/")
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
