"""Console pages of order files: 导出 from the list's filter, 导出记录, 订单导入 with
preview, mapping and confirm, 每日定时导出, and 批量发货's 下载待发货订单."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.factories import OrderFactory
from orders.files.models import (
    ExportSchedule,
    ExportTemplate,
    FileJobStatus,
    ImportTemplate,
    OrderExport,
    OrderImport,
)
from orders.files.services import export_start
from orders.models import Order, OrderStatus
from shops.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner.user)
    return client


@pytest.fixture
def mixed(shop):
    """Two orders to ship and one completed."""
    return {
        "to_ship": [OrderFactory(shop=shop) for _ in range(2)],
        "done": OrderFactory(shop=shop, status=OrderStatus.COMPLETED),
    }


def _text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_order_list_offers_an_export_of_its_current_filter(signed_in, mixed):
    response = signed_in.get(reverse("orders:list"), {"tab": "to_ship"})
    assert f"{reverse('orders:files:export')}?tab=to_ship" in response.content.decode()


def test_the_export_page_names_the_filter_and_counts_its_orders(
    signed_in, mixed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = signed_in.get(reverse("orders:files:export"), {"tab": "to_ship"})
    page = response.content.decode()
    assert "订单状态：待发货" in page and "共 2 个订单" in page


def test_a_small_export_downloads_exactly_the_filtered_tab(signed_in, mixed):
    # when
    response = signed_in.post(
        reverse("orders:files:export"),
        {"query": "tab=to_ship", "by": "item", "fmt": "csv", "columns": ["order_no", "status"]},
    )
    # then
    assert response["Content-Disposition"].startswith("attachment")
    lines = _text(response).strip().splitlines()
    assert lines[0] == "主订单编号,订单状态"
    assert sorted(line.split(",")[0].strip("\t") for line in lines[1:]) == sorted(
        o.order_no for o in mixed["to_ship"]
    )
    assert OrderExport.objects.get().status == FileJobStatus.DONE


def test_a_large_export_becomes_a_job_with_a_progress_page(signed_in, mixed, settings):
    # given
    settings.ORDER_EXPORT_INLINE_MAX_ROWS = 1
    # when (Celery runs eagerly here, after the request's commit)
    response = signed_in.post(
        reverse("orders:files:export"), {"query": "", "by": "order", "fmt": "xlsx",
                                         "columns": ["order_no"]},
    )  # fmt: skip
    # then
    record = OrderExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:files:export_detail", args=[record.pk])


def test_the_chosen_columns_can_be_saved_as_a_named_template(signed_in, mixed):
    signed_in.post(
        reverse("orders:files:export"),
        {"query": "", "by": "item", "fmt": "csv", "columns": ["order_no", "item_no"],
         "template_name": "仓库"},
    )  # fmt: skip
    template = ExportTemplate.objects.get()
    assert (template.name, template.columns) == ("仓库", ["order_no", "item_no"])
    page = signed_in.get(reverse("orders:files:export"), {"template": template.pk})
    assert page.context["form"].initial["columns"] == ["order_no", "item_no"]


def test_the_unmasked_option_is_only_offered_with_the_reveal_permission(client, mixed, make_member):
    # given
    operator = make_member(Role.OPERATOR, shop=mixed["done"].shop)
    client.force_login(operator.user)
    # when
    page = client.get(reverse("orders:files:export")).content.decode()
    response = client.post(
        reverse("orders:files:export"),
        {"query": "", "by": "item", "fmt": "csv", "columns": ["receiver_phone"], "unmasked": "on"},
    )
    # then
    assert 'name="unmasked"' not in page
    assert "138****5678" in _text(response) and not OrderExport.objects.get().unmasked


def test_the_export_records_list_this_shops_exports_with_their_links(
    signed_in, mixed, shop_context, other_owner, context_for, django_assert_max_num_queries
):
    # given
    mine = [export_start(context=shop_context, params={}) for _ in range(3)]
    theirs = export_start(context=context_for(other_owner), params={})
    # when
    with django_assert_max_num_queries(7):
        response = signed_in.get(reverse("orders:files:exports"))
    # then
    page = response.content.decode()
    for record in mine:
        assert reverse("orders:files:export_download", args=[record.pk]) in page
    assert reverse("orders:files:export_download", args=[theirs.pk]) not in page


def test_a_finished_export_downloads_from_its_record(signed_in, mixed, shop_context):
    record = export_start(context=shop_context, params={"tab": "completed"})
    response = signed_in.get(reverse("orders:files:export_download", args=[record.pk]))
    assert mixed["done"].order_no in _text(response)


def _file(
    rows: list[str],
    header="主订单编号,子订单编号,选购商品,商品数量,订单应付金额,订单提交时间,订单状态",
):
    return SimpleUploadedFile("orders.csv", ("\n".join([header, *rows]) + "\n").encode("gbk"))


ROW = "6900000000000000001,6900000000000000101,T恤,1,99.00,2026-11-01 12:00:00,已完成"


def test_an_upload_shows_its_preview_then_confirm_writes_it(signed_in, shop):
    # when
    response = signed_in.post(reverse("orders:files:imports"), {"file": _file([ROW])})
    job = OrderImport.objects.get()
    preview = signed_in.get(response["Location"]).content.decode()
    # then
    assert 'data-count="new">1<' in preview and not Order.objects.filter(shop=shop).exists()
    # when
    signed_in.post(reverse("orders:files:import_confirm", args=[job.pk]))
    # then
    assert Order.objects.get(shop=shop).status == OrderStatus.COMPLETED


def test_the_preview_names_each_bad_cell_by_row_column_and_reason(signed_in, shop):
    signed_in.post(
        reverse("orders:files:imports"),
        {"file": _file([ROW, ROW.replace(",1,", ",x,").replace("101", "102")])},
    )
    job = OrderImport.objects.get()
    page = signed_in.get(reverse("orders:files:import_detail", args=[job.pk])).content.decode()
    assert "第 3 行" in page and "D列（商品数量）" in page and "不是正整数" in page
    assert "import-confirm" not in page


def test_foreign_headers_are_mapped_and_saved_as_an_import_template(signed_in, shop):
    # given: a file whose 订单状态 column is called 状态 and 订单提交时间 下单日期
    header = "主订单编号,子订单编号,选购商品,商品数量,订单应付金额,下单日期,状态"
    signed_in.post(reverse("orders:files:imports"), {"file": _file([ROW], header)})
    job = OrderImport.objects.get()
    assert job.summary["rejected"]
    # when
    signed_in.post(
        reverse("orders:files:import_mapping", args=[job.pk]),
        {"header": ["下单日期", "状态"], "key": ["created_at", "status"], "template_name": "ERP"},
    )
    # then
    job.refresh_from_db()
    assert job.summary["new"] == 1 and ImportTemplate.objects.get().name == "ERP"
    # and the next upload of the same headers applies it by itself
    signed_in.post(reverse("orders:files:imports"), {"file": _file([ROW], header)})
    assert OrderImport.objects.order_by("-id").first().summary["new"] == 1


def test_the_import_pages_stay_within_their_query_budget(
    signed_in, shop, django_assert_max_num_queries
):
    signed_in.post(reverse("orders:files:imports"), {"file": _file([ROW])})
    job = OrderImport.objects.get()
    with django_assert_max_num_queries(7):
        signed_in.get(reverse("orders:files:imports"))
    with django_assert_max_num_queries(6):
        signed_in.get(reverse("orders:files:import_detail", args=[job.pk]))


def test_a_schedule_is_created_from_the_filter_and_deleted(signed_in, mixed):
    # when
    signed_in.post(
        reverse("orders:files:schedules"),
        {
            "name": "仓库日报",
            "at_time": "08:30",
            "by": "item",
            "fmt": "csv",
            "query": "tab=to_ship",
        },
    )
    # then
    schedule = ExportSchedule.objects.get()
    assert schedule.params == {"tab": "to_ship"} and str(schedule.at_time) == "08:30:00"
    page = signed_in.get(reverse("orders:files:schedules")).content.decode()
    assert "仓库日报" in page and "订单状态：待发货" in page
    # when
    signed_in.post(reverse("orders:files:schedule_delete", args=[schedule.pk]))
    # then
    assert not ExportSchedule.objects.exists()


def test_to_ship_download_fills_the_batch_template_with_orders_still_to_ship(signed_in, mixed):
    response = signed_in.get(reverse("logistics:batch_to_ship", args=["csv"]))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("订单号,快递公司,快递单号,子订单编号,发货数量")
    numbers = sorted(line.split(",")[0].strip("\t") for line in lines[1:])
    assert numbers == sorted(o.order_no for o in mixed["to_ship"])


def test_on_another_database_the_import_says_it_needs_postgresql(signed_in, not_postgresql):
    # when
    response = signed_in.post(reverse("orders:files:imports"), {"file": _file([ROW])})
    # then: the upload is refused with the reason, nothing kept
    assert response.status_code == 400
    assert "订单导入需要 PostgreSQL 数据库" in response.content.decode()
    assert not OrderImport.objects.exists()


def test_on_another_database_the_export_says_it_needs_postgresql(signed_in, mixed, not_postgresql):
    # when
    response = signed_in.post(
        reverse("orders:files:export"),
        {"query": "tab=to_ship", "by": "item", "fmt": "csv", "columns": ["order_no"]},
    )
    # then
    assert "订单导出需要 PostgreSQL 数据库" in response.content.decode()
    assert not OrderExport.objects.exists()
