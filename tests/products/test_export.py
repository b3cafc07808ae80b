"""Formula injection: a title or 商家编码 a merchant typed never runs as a formula in the
products export, CSV or XLSX, and the export still re-imports unchanged."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from products import imports
from products.factories import ProductFactory, SkuFactory
from products.models import Product, Sku

pytestmark = pytest.mark.django_db

STARTS = ["=", "+", "-", "@", "\t", "\r"]


def _products(shop):
    for n, start in enumerate(STARTS):
        product = ProductFactory(shop=shop, title=f'{start}HYPERLINK("http://x","{n}")', sku=None)
        SkuFactory(product=product, outer_code=f"{start}cmd|{n}", price_fen=100 + n, stock=n)


@pytest.mark.parametrize("start", STARTS)
def test_csv_export_neutralises_title_and_outer_code(as_member, owner, start):
    # given
    _products(owner.shop)
    # when
    response = as_member(owner).get(reverse("products:export"))
    # then
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["商品名称"].startswith("'" + start))
    assert row["商家编码"].startswith("'" + start + "cmd|")
    assert not any(value.startswith(tuple(STARTS)) for r in rows for value in r.values())


@pytest.mark.parametrize("start", STARTS)
def test_xlsx_export_writes_title_and_outer_code_as_text(as_member, owner, start):
    # given
    _products(owner.shop)
    # when
    response = as_member(owner).get(reverse("products:export"), {"format": "xlsx"})
    # then
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if str(r[6].value) == str(STARTS.index(start))]
    title, outer_code = row[1], row[4]
    # (XML turns a stored CR into LF: still text, never a formula)
    assert title.value.replace("\n", "\r").startswith(start + "HYPERLINK(")
    assert outer_code.value.replace("\n", "\r").startswith(start + "cmd|")
    assert all(c.data_type == "s" and c.quotePrefix for c in (title, outer_code))
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_neutralised_export_reimports_unchanged(as_member, owner, shop_context, fmt):
    # given: titles and codes that look like formulas (tab/CR are trimmed on import anyway)
    for n, start in enumerate(["=", "+", "-", "@"]):
        product = ProductFactory(shop=owner.shop, title=f"{start}标题{n}", sku=None)
        SkuFactory(product=product, outer_code=f"{start}C{n}", price_fen=100, stock=1)
    before = sorted(Sku.objects.values_list("product__title", "outer_code", "updated_at"))
    content = as_member(owner).get(reverse("products:export"), {"format": fmt}).content
    # when
    preview = imports.import_preview(context=shop_context, content=content, filename=f"p.{fmt}")
    # then
    assert (preview.ok, preview.skip) == (True, 4)
    assert sorted(Sku.objects.values_list("product__title", "outer_code", "updated_at")) == before
    assert Product.objects.count() == 4
