import pytest
import tablib

from products import imports
from products.exceptions import ImportRejected
from products.factories import ProductFactory, SkuFactory
from products.models import Product, ProductStatus, Sku, StockMove
from products.resources import export_dataset
from products.selectors import export_skus

pytestmark = pytest.mark.django_db

HEADER = "商品ID,商品名称,类目,规格,商家编码,价格,库存,状态\n"


def _csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def _confirm(context, content: bytes, filename="p.csv") -> dict:
    stashed = imports.stash(context=context, content=content, filename=filename)
    return imports.import_confirm(context=context, stashed=stashed)


def test_new_product_from_rows_with_specs_goes_on_sale(shop_context):
    # given
    content = _csv(
        HEADER
        + ",纯棉T恤,服饰内衣/女装,颜色:红;尺码:S,T-RS,59.90,10,在售\n"
        + ",纯棉T恤,服饰内衣/女装,颜色:黑;尺码:S,T-BS,59.90,0,在售\n"
    )
    # when
    summary = _confirm(shop_context, content)
    # then
    product = Product.objects.get(title="纯棉T恤")
    assert summary == {"new": 2, "update": 0, "skip": 0}
    assert product.status == ProductStatus.ON_SALE
    assert sorted(product.skus.values_list("spec_text", "price_fen", "stock", "outer_code")) == [
        ("颜色:红;尺码:S", 5990, 10, "T-RS"),
        ("颜色:黑;尺码:S", 5990, 0, "T-BS"),
    ]
    assert StockMove.objects.get().reason == "import"


def test_export_then_reimport_changes_nothing(shop_context, owner):
    # given
    product = ProductFactory(shop=owner.shop, title="羊毛围巾", sku=None)
    SkuFactory(product=product, spec_text="颜色:驼色", price_fen=9900, stock=3, outer_code="W1")
    SkuFactory(product=product, spec_text="颜色:红色", price_fen=10900, stock=0)
    exported = export_dataset(export_skus(context=shop_context)).export("xlsx")
    before = list(Sku.objects.values_list("pk", "price_fen", "stock", "outer_code", "updated_at"))
    product_updated = Product.objects.get().updated_at
    # when
    preview = imports.import_preview(context=shop_context, content=exported, filename="p.xlsx")
    summary = _confirm(shop_context, exported, "p.xlsx")
    # then
    assert (preview.ok, preview.skip) == (True, 2)
    assert summary == {"new": 0, "update": 0, "skip": 2}
    assert (
        list(Sku.objects.values_list("pk", "price_fen", "stock", "outer_code", "updated_at"))
        == before
    )
    assert Product.objects.get().updated_at == product_updated
    assert not StockMove.objects.exists()


def test_reimporting_a_file_without_ids_changes_nothing_the_second_time(shop_context):
    # given
    content = _csv(HEADER + ",土鸡蛋,食品饮料/生鲜肉禽,,EGG,36.90,50,在售\n")
    _confirm(shop_context, content)
    moves = StockMove.objects.count()
    # when
    summary = _confirm(shop_context, content)
    # then
    assert summary == {"new": 0, "update": 0, "skip": 1}
    assert Product.objects.count() == 1 and StockMove.objects.count() == moves


def test_english_headers_are_accepted(shop_context):
    # given
    content = _csv(
        "product_id,title,category,spec,outer_code,price,stock,status\n"
        ",Egg,食品饮料/生鲜肉禽,,EGG,36.90,50,draft\n"
    )
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename="p.csv")
    # then
    assert (preview.ok, preview.new) == (True, 1)
    assert not Product.objects.exists()  # the preview wrote nothing


def test_preview_lists_every_bad_row(shop_context):
    # given
    content = _csv(
        HEADER
        + ",好商品,服饰内衣/女装,,A1,10.00,5,\n"
        + ",坏价格,服饰内衣/女装,,A2,十元,5,\n"
        + ",坏库存,服饰内衣/女装,,A3,10.00,-1,\n"
        + ",坏类目,不存在的类目,,A4,10.00,5,\n"
    )
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename="p.csv")
    # then
    assert [(e.number, e.messages) for e in preview.errors] == [
        (3, ["价格“十元”不是 0.01 到 10,000,000 元之间的金额（最多两位小数）。"]),
        (4, ["库存“-1”应为 0 到 99,999,999 之间的整数。"]),
        (5, ["找不到类目“不存在的类目”，请写成“一级类目/二级类目”，如“服饰内衣/女装”。"]),
    ]


def test_confirm_with_a_bad_row_imports_nothing(shop_context):
    # given
    content = _csv(
        HEADER + ",好商品,服饰内衣/女装,,A1,10.00,5,\n" + ",坏价格,服饰内衣/女装,,A2,0,5,\n"
    )
    # when
    with pytest.raises(ImportRejected) as error:
        _confirm(shop_context, content)
    # then
    assert "第 3 行" in str(error.value)
    assert not Product.objects.exists() and not StockMove.objects.exists()


def test_publish_refusal_is_reported_on_the_row(shop_context):
    # given
    content = _csv(HEADER + ",无库存,服饰内衣/女装,,A1,10.00,0,在售\n")
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename="p.csv")
    # then
    assert preview.errors[0].number == 2
    assert "库存都为 0" in preview.errors[0].messages[0]


def test_another_shops_product_id_is_unknown(shop_context, other_owner):
    # given
    foreign = ProductFactory(shop=other_owner.shop, title="别人的")
    content = _csv(HEADER + f"{foreign.pk},别人的,服饰内衣/女装,,,1.00,1,\n")
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename="p.csv")
    # then
    assert preview.errors[0].messages == [f"本店没有商品ID为 {foreign.pk} 的商品。"]


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "p.csv", "文件是空的"),
        (_csv(HEADER), "p.csv", "只有表头，没有数据行"),
        (_csv("商品名称,类目,价格\n某,服饰内衣/女装,1\n"), "p.csv", "缺少列：规格、库存"),
        (b"hello", "p.txt", "只支持 CSV 或 XLSX"),
        (b"not really a spreadsheet", "p.xlsx", "无法读取文件"),
    ],
)
def test_bad_files_get_a_clear_message(shop_context, content, filename, expected):
    # when
    with pytest.raises(ImportRejected) as error:
        imports.import_preview(context=shop_context, content=content, filename=filename)
    # then
    assert expected in str(error.value)


def test_gbk_csv_is_read(shop_context):
    # given
    content = (HEADER + ",土鸡蛋,食品饮料/生鲜肉禽,,EGG,36.90,50,\n").encode("gbk")
    # when
    dataset = imports.read_dataset(content, "p.csv")
    # then
    assert isinstance(dataset, tablib.Dataset) and dataset[0][1] == "土鸡蛋"


def test_rows_are_numbered_as_the_spreadsheet_numbers_them(shop_context):
    # given: the header is row 1; a blank line (row 3) sits between the rows
    content = _csv(
        HEADER + ",好商品,服饰内衣/女装,,A1,10.00,5,\n" + "\n" + ",坏价格,服饰内衣/女装,,A2,0,5,\n"
    )
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename="p.csv")
    # then
    assert [e.number for e in preview.errors] == [4]
