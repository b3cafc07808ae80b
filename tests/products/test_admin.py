"""违规下架 and 解除违规 in /admin/: actions that call the status services."""

import pytest
from django.urls import reverse

from products.factories import ProductFactory
from products.models import Product, ProductStatus, ProductStatusEvent
from tests.core.admin_support import change_form_data, messages_of, post_action

pytestmark = pytest.mark.django_db


def test_ban_action_bans_with_the_reason_and_records_who(admin_client, admin_user):
    # given
    product = ProductFactory()
    # when
    response = post_action(admin_client, Product, "ban", [product], ban_reason="假冒品牌")
    # then
    product.refresh_from_db()
    assert (product.status, product.ban_reason) == (ProductStatus.BANNED, "假冒品牌")
    event = ProductStatusEvent.objects.get(product=product)
    assert (event.from_status, event.to_status) == (ProductStatus.ON_SALE, ProductStatus.BANNED)
    assert (event.actor, event.reason) == (admin_user, "假冒品牌")
    assert "已处理 1 个商品。" in messages_of(response)


def test_ban_action_without_a_reason_is_refused_by_name(admin_client):
    # given
    product = ProductFactory(title="纯棉T恤")
    # when
    response = post_action(admin_client, Product, "ban", [product], ban_reason=" ")
    # then
    assert response.status_code == 200
    assert any(m.startswith("纯棉T恤：请填写违规原因") for m in messages_of(response))
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ON_SALE
    assert not ProductStatusEvent.objects.filter(product=product).exists()


def test_unban_action_lifts_the_ban_to_off_shelf(admin_client, admin_user):
    # given
    product = ProductFactory()
    post_action(admin_client, Product, "ban", [product], ban_reason="图片侵权")
    # when
    post_action(admin_client, Product, "unban", [product])
    # then
    product.refresh_from_db()
    assert (product.status, product.ban_reason) == (ProductStatus.OFF_SHELF, "")
    event = ProductStatusEvent.objects.filter(product=product).latest("pk")
    assert (event.to_status, event.actor) == (ProductStatus.OFF_SHELF, admin_user)


def test_unban_of_a_product_on_sale_is_refused_and_the_others_go_on(admin_client):
    # given
    on_sale, banned = ProductFactory(), ProductFactory()
    post_action(admin_client, Product, "ban", [banned], ban_reason="违禁品")
    # when
    response = post_action(admin_client, Product, "unban", [on_sale, banned])
    # then
    messages = messages_of(response)
    assert any("不能解除违规" in m for m in messages) and "已处理 1 个商品。" in messages
    assert Product.objects.get(pk=on_sale.pk).status == ProductStatus.ON_SALE
    assert Product.objects.get(pk=banned.pk).status == ProductStatus.OFF_SHELF


def test_a_superuser_cannot_edit_the_status_in_the_change_form(admin_client):
    # given
    product = ProductFactory()
    url = reverse("admin:products_product_change", args=[product.pk])
    data = change_form_data(admin_client, url)
    # when
    admin_client.post(url, {**data, "status": ProductStatus.BANNED, "ban_reason": "x"})
    # then
    assert "status" not in data and "ban_reason" not in data
    product.refresh_from_db()
    assert (product.status, product.ban_reason) == (ProductStatus.ON_SALE, "")
    assert not ProductStatusEvent.objects.filter(product=product).exists()
