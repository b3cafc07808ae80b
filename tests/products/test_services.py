import pytest
from django.http import Http404

from core.exceptions import PermissionRefused
from products import services
from products.exceptions import OutOfStock, ProductError, PublishRefused, SpecError, StockError
from products.factories import ProductFactory, SkuFactory, leaf_category
from products.models import ProductStatus, ProductStatusEvent, Sku, StockMove, StockMoveReason
from shops.factories import UserFactory
from shops.roles import Role

pytestmark = pytest.mark.django_db

COLOR_SIZE = [("颜色", ["红", "黑"]), ("尺码", ["S", "M", "L"])]


def test_specs_generate_one_sku_per_combination(shop_context, tee):
    # when
    skus = services.product_set_specs(context=shop_context, product_id=tee.pk, specs=COLOR_SIZE)
    # then
    assert [s.spec_text for s in skus] == [
        "颜色:红;尺码:S",
        "颜色:红;尺码:M",
        "颜色:红;尺码:L",
        "颜色:黑;尺码:S",
        "颜色:黑;尺码:M",
        "颜色:黑;尺码:L",
    ]
    assert skus[0].spec_values == [{"name": "颜色", "value": "红"}, {"name": "尺码", "value": "S"}]
    assert all(s.price_fen is None and s.stock == 0 and s.shop_id == tee.shop_id for s in skus)


def test_product_without_specs_gets_one_default_sku(shop_context):
    # when
    product = services.product_create(
        context=shop_context, title="单规格商品", category=leaf_category()
    )
    # then
    assert [s.spec_text for s in product.skus.all()] == [""]
    assert product.status == ProductStatus.DRAFT


def test_editing_specs_keeps_surviving_skus_and_deactivates_dropped(shop_context, tee):
    # given
    services.product_save_matrix(
        context=shop_context,
        product_id=tee.pk,
        specs=COLOR_SIZE,
        rows=[{"spec_text": "颜色:红;尺码:S", "price_fen": 5900, "stock": 7, "outer_code": "T-RS"}],
    )
    red_s = Sku.objects.get(product=tee, spec_text="颜色:红;尺码:S")
    # when: drop 黑, add 白
    skus = services.product_set_specs(
        context=shop_context,
        product_id=tee.pk,
        specs=[("颜色", ["红", "白"]), ("尺码", ["S", "M", "L"])],
    )
    # then
    kept = next(s for s in skus if s.spec_text == "颜色:红;尺码:S")
    assert (kept.pk, kept.price_fen, kept.stock, kept.outer_code) == (red_s.pk, 5900, 7, "T-RS")
    assert (
        Sku.objects.filter(product=tee, spec_text__startswith="颜色:黑", is_active=False).count()
        == 3
    )
    assert sorted(s.spec_text for s in skus if s.spec_text.startswith("颜色:白")) == [
        "颜色:白;尺码:L",
        "颜色:白;尺码:M",
        "颜色:白;尺码:S",
    ]


def test_bringing_back_a_dropped_combination_reactivates_its_sku(shop_context, tee):
    # given
    services.product_set_specs(context=shop_context, product_id=tee.pk, specs=COLOR_SIZE)
    services.product_set_specs(context=shop_context, product_id=tee.pk, specs=[("颜色", ["红"])])
    # when
    skus = services.product_set_specs(context=shop_context, product_id=tee.pk, specs=COLOR_SIZE)
    # then
    assert len(skus) == 6
    assert Sku.objects.filter(product=tee).count() == 6 + 1  # plus the "颜色:红" one, now inactive


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        ([("颜色", [])], "至少要有一个规格值"),
        ([("颜色", ["红", "红"])], "重复"),
        ([("", ["红"])], "规格名不能为空"),
        ([("颜色", ["红:大"])], "冒号或分号"),
        ([("a", ["1"]), ("b", ["1"]), ("c", ["1"]), ("d", ["1"])], "最多 3 个规格"),
    ],
)
def test_bad_specs_are_refused_with_a_reason(shop_context, tee, specs, expected):
    # when
    with pytest.raises(SpecError) as error:
        services.product_set_specs(context=shop_context, product_id=tee.pk, specs=specs)
    # then
    assert expected in str(error.value)
    assert not tee.skus.exists()


def test_matrix_row_error_names_the_row_and_saves_nothing(shop_context, tee):
    # when
    with pytest.raises(ProductError) as error:
        services.product_save_matrix(
            context=shop_context,
            product_id=tee.pk,
            specs=COLOR_SIZE,
            rows=[
                {"spec_text": "颜色:红;尺码:S", "price_fen": 5900, "stock": 3},
                {"spec_text": "颜色:黑;尺码:M", "price_fen": 0, "stock": 3},
            ],
        )
    # then
    assert "颜色:黑;尺码:M" in str(error.value) and "价格必须大于 0" in str(error.value)
    assert not tee.skus.exists() and not StockMove.objects.exists()


def test_outer_code_is_unique_within_the_shop(shop_context, tee):
    # given
    SkuFactory(product=ProductFactory(shop=tee.shop, sku=None), outer_code="CODE-1")
    services.product_set_specs(context=shop_context, product_id=tee.pk, specs=[])
    sku = tee.skus.get()
    # when
    with pytest.raises(ProductError) as error:
        services.sku_update(context=shop_context, sku_id=sku.pk, data={"outer_code": "CODE-1"})
    # then
    assert "商家编码已被本店其他 SKU 使用" in str(error.value)


def test_same_outer_code_is_fine_in_another_shop(shop_context, tee):
    # given
    SkuFactory(outer_code="CODE-1")
    services.product_set_specs(context=shop_context, product_id=tee.pk, specs=[])
    # when
    sku = services.sku_update(
        context=shop_context, sku_id=tee.skus.get().pk, data={"outer_code": "CODE-1"}
    )
    # then
    assert sku.outer_code == "CODE-1"


def test_title_longer_than_60_characters_is_refused(shop_context):
    # when
    with pytest.raises(ProductError) as error:
        services.product_create(context=shop_context, title="长" * 61, category=leaf_category())
    # then
    assert "title" in error.value.fields


def test_first_level_category_is_refused(shop_context):
    # given
    top = leaf_category().parent
    # when
    with pytest.raises(ProductError) as error:
        services.product_create(context=shop_context, title="某商品", category=top)
    # then
    assert "二级类目" in str(error.value)


# --- publishing ---------------------------------------------------------------------


def test_publish_refused_without_skus(shop_context, tee):
    # when
    with pytest.raises(PublishRefused) as error:
        services.product_publish(context=shop_context, product_id=tee.pk)
    # then
    assert "还没有规格" in str(error.value)
    tee.refresh_from_db()
    assert tee.status == ProductStatus.DRAFT


def test_publish_refused_when_no_sku_has_a_price(shop_context, tee):
    # given
    services.product_set_specs(context=shop_context, product_id=tee.pk, specs=COLOR_SIZE)
    # when
    with pytest.raises(PublishRefused) as error:
        services.product_publish(context=shop_context, product_id=tee.pk)
    # then
    assert "都还没有设置价格" in str(error.value)


def test_publish_refused_when_priced_skus_have_no_stock(shop_context, tee):
    # given
    services.product_save_matrix(
        context=shop_context,
        product_id=tee.pk,
        specs=COLOR_SIZE,
        rows=[{"spec_text": "颜色:红;尺码:S", "price_fen": 5900}],
    )
    # when
    with pytest.raises(PublishRefused) as error:
        services.product_publish(context=shop_context, product_id=tee.pk)
    # then
    assert "库存都为 0" in str(error.value)


def test_publish_with_a_priced_sku_in_stock_records_the_event(owner, shop_context, tee):
    # given
    services.product_save_matrix(
        context=shop_context,
        product_id=tee.pk,
        specs=COLOR_SIZE,
        rows=[{"spec_text": "颜色:红;尺码:S", "price_fen": 5900, "stock": 2}],
    )
    # when
    product = services.product_publish(context=shop_context, product_id=tee.pk)
    # then
    assert product.status == ProductStatus.ON_SALE
    event = ProductStatusEvent.objects.get(product=tee)
    assert (event.from_status, event.to_status, event.actor_id) == (
        ProductStatus.DRAFT,
        ProductStatus.ON_SALE,
        owner.user_id,
    )


def test_bulk_unpublish_moves_on_sale_and_explains_the_rest(shop_context, owner):
    # given
    on_sale = ProductFactory(shop=owner.shop)
    draft = ProductFactory(shop=owner.shop, status=ProductStatus.DRAFT, title="草稿商品")
    # when
    result = services.product_bulk_set_status(
        context=shop_context, product_ids=[on_sale.pk, draft.pk], action="unpublish"
    )
    # then
    assert [p.pk for p in result.done] == [on_sale.pk]
    assert result.refused == ["“草稿商品”当前为草稿，不能下架。"]


def test_staff_ban_shows_reason_and_blocks_publishing(shop_context, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    staff = UserFactory(is_staff=True)
    # when
    services.product_ban(product_id=product.pk, actor=staff, reason="图片涉嫌侵权")
    # then
    product.refresh_from_db()
    assert (product.status, product.ban_reason) == (ProductStatus.BANNED, "图片涉嫌侵权")
    with pytest.raises(ProductError, match="违规下架"):
        services.product_publish(context=shop_context, product_id=product.pk)


def test_merchant_cannot_ban(owner):
    # given
    product = ProductFactory(shop=owner.shop)
    # when / then
    with pytest.raises(PermissionRefused):
        services.product_ban(product_id=product.pk, actor=owner.user, reason="x")


# --- roles and tenancy --------------------------------------------------------------


def test_warehouse_cannot_change_price(make_member, context_for):
    # given
    member = make_member(Role.WAREHOUSE)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None), price_fen=1000)
    # when
    with pytest.raises(PermissionRefused):
        services.sku_update(context=context_for(member), sku_id=sku.pk, data={"price_fen": 900})
    # then
    sku.refresh_from_db()
    assert sku.price_fen == 1000


def test_warehouse_can_adjust_stock(make_member, context_for):
    # given
    member = make_member(Role.WAREHOUSE)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None), stock=5)
    # when
    services.sku_adjust_stock(context=context_for(member), sku_id=sku.pk, delta=3, note="盘点")
    # then
    sku.refresh_from_db()
    move = StockMove.objects.get(sku=sku)
    assert sku.stock == 8
    assert (move.reason, move.delta, move.balance_after, move.actor_id, move.note) == (
        StockMoveReason.MANUAL,
        3,
        8,
        member.user_id,
        "盘点",
    )


def test_customer_service_cannot_adjust_stock(make_member, context_for):
    # given
    member = make_member(Role.SERVICE)
    sku = SkuFactory(product=ProductFactory(shop=member.shop, sku=None))
    # when / then
    with pytest.raises(PermissionRefused):
        services.sku_adjust_stock(context=context_for(member), sku_id=sku.pk, delta=1, note="x")


def test_another_shops_product_does_not_exist(shop_context, other_owner):
    # given
    foreign = ProductFactory(shop=other_owner.shop)
    # when / then
    with pytest.raises(Http404):
        services.product_update(context=shop_context, product_id=foreign.pk, data={"title": "改"})
    with pytest.raises(Http404):
        services.sku_adjust_stock(
            context=shop_context, sku_id=foreign.skus.get().pk, delta=1, note="x"
        )


# --- stock --------------------------------------------------------------------------


def test_adjust_below_zero_is_refused(shop_context, owner):
    # given
    sku = SkuFactory(product=ProductFactory(shop=owner.shop, sku=None), stock=2)
    # when
    with pytest.raises(StockError) as error:
        services.sku_adjust_stock(context=shop_context, sku_id=sku.pk, delta=-3, note="报损")
    # then
    assert "不能小于 0（当前 2，调整 -3）" in str(error.value)
    assert not StockMove.objects.exists()


def test_reserve_takes_all_lines_and_records_moves():
    # given
    a = SkuFactory(stock=5)
    b = SkuFactory(stock=2)
    # when
    services.sku_reserve_stock(lines=[(b.pk, 2), (a.pk, 1), (a.pk, 1)], note="订单 1")
    # then
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.stock, b.stock) == (3, 0)
    moves = StockMove.objects.order_by("sku_id")
    assert [(m.sku_id, m.delta, m.balance_after, m.reason) for m in moves] == [
        (a.pk, -2, 3, "order"),
        (b.pk, -2, 0, "order"),
    ]


def test_reserve_refuses_whole_order_naming_the_short_sku():
    # given
    a = SkuFactory(stock=5)
    b = SkuFactory(stock=1, spec_text="颜色:红", product__title="羊毛围巾")
    # when
    with pytest.raises(OutOfStock) as error:
        services.sku_reserve_stock(lines=[(a.pk, 1), (b.pk, 3)])
    # then
    assert str(error.value) == "「羊毛围巾 颜色:红」库存不足：需要 3 件，仅剩 1 件。"
    a.refresh_from_db()
    assert a.stock == 5 and not StockMove.objects.exists()


def test_release_puts_stock_back():
    # given
    sku = SkuFactory(stock=0)
    # when
    services.sku_release_stock(lines=[(sku.pk, 2)], reason=StockMoveReason.REFUND)
    # then
    sku.refresh_from_db()
    assert sku.stock == 2
    assert StockMove.objects.get(sku=sku).reason == StockMoveReason.REFUND
