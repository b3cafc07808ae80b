"""批量发货 pages: upload → preview → confirm, progress, downloads, permissions, isolation."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from logistics.batch.services import ship_batch_preview
from logistics.models import ShipBatch, ShipBatchStatus, Shipment
from orders.factories import OrderFactory
from orders.models import OrderStatus

from .batch_support import csv_bytes, sf_no, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_carriers")]


@pytest.fixture
def batch(owner, context_for):
    """A previewed batch of one good and one bad row."""
    order = OrderFactory(shop=owner.shop)
    return ship_batch_preview(
        context=context_for(owner),
        upload=upload(
            csv_bytes(
                [
                    [order.order_no, "顺丰", sf_no(1), "", ""],
                    ["6900000000000000001", "顺丰", sf_no(2), "", ""],
                ]
            )
        ),
    )


def test_upload_shows_the_preview(owner, as_member):
    # given
    order = OrderFactory(shop=owner.shop)
    content = csv_bytes([[order.order_no, "中通", "731234567890", "", ""]], encoding="gbk")

    # when
    response = as_member(owner).post(
        reverse("logistics:batch"), {"file": upload(content)}, follow=True
    )

    # then
    created = ShipBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("logistics:batch_detail", args=[created.pk])
    body = response.content.decode()
    assert "可发货：中通快递 731234567890，1 件。" in body
    assert "确认发货 1 行" in body


def test_unreadable_upload_says_why_and_writes_nothing(owner, as_member):
    # when
    response = as_member(owner).post(
        reverse("logistics:batch"),
        {"file": upload(csv_bytes([["1", "2"]], header=["订单号", "快递单号"]))},
    )

    # then
    assert response.status_code == 400
    assert "缺少必填列：快递公司。" in response.content.decode()
    assert not ShipBatch.objects.exists()


def test_confirm_ships_and_shows_the_result(
    owner, as_member, batch, django_capture_on_commit_callbacks
):
    # given
    client = as_member(owner)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("logistics:batch_confirm", args=[batch.pk]))
    response = client.get(reverse("logistics:batch_detail", args=[batch.pk]))

    # then
    body = response.content.decode()
    assert "已完成" in body and 'max="100" value="100"' in body
    assert "发货成功 1 · 已发过 0 · 失败 1" in body
    assert f"已发货：顺丰速运 {sf_no(1)}。" in body
    assert Shipment.objects.filter(batch=batch).count() == 1


def test_detail_filters_rows_by_result(owner, as_member, batch):
    # when
    response = as_member(owner).get(
        reverse("logistics:batch_detail", args=[batch.pk]), {"result": "invalid"}
    )

    # then
    body = response.content.decode()
    assert "6900000000000000001" in body and sf_no(1) not in body


def test_detail_pages_long_previews(owner, as_member, context_for):
    # given
    rows = [[f"69{n:017d}", "顺丰", sf_no(n), "", ""] for n in range(60)]
    big = ship_batch_preview(context=context_for(owner), upload=upload(csv_bytes(rows)))

    # when
    response = as_member(owner).get(reverse("logistics:batch_detail", args=[big.pk]))

    # then
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 50


def test_progress_partial_polls_while_running(owner, as_member, batch):
    # given
    ShipBatch.objects.filter(pk=batch.pk).update(status=ShipBatchStatus.RUNNING, processed_rows=1)

    # when
    response = as_member(owner).get(
        reverse("logistics:batch_progress", args=[batch.pk]), HTTP_HX_REQUEST="true"
    )

    # then
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'max="100" value="50"' in body
    assert "HX-Refresh" not in response


def test_progress_partial_reloads_the_page_once_done(owner, as_member, batch):
    # given
    ShipBatch.objects.filter(pk=batch.pk).update(status=ShipBatchStatus.DONE, processed_rows=2)

    # when
    response = as_member(owner).get(
        reverse("logistics:batch_progress", args=[batch.pk]), HTTP_HX_REQUEST="true"
    )

    # then
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_list_shows_past_batches_within_a_query_budget(
    owner, as_member, batch, django_assert_max_num_queries
):
    # given
    client = as_member(owner)

    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("logistics:batch"))

    # then
    assert batch.file_name in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_downloads(owner, as_member, fmt):
    # when
    response = as_member(owner).get(reverse("logistics:batch_template", args=[fmt]))

    # then
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    if fmt == "csv":
        assert response.content.startswith(
            "\ufeff订单号,快递公司,快递单号,子订单编号,发货数量".encode()
        )
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert [c.value for c in sheet[1]] == [
            "订单号",
            "快递公司",
            "快递单号",
            "子订单编号",
            "发货数量",
        ]


def test_report_csv_lists_every_row_with_its_result(owner, as_member, batch):
    # when
    response = as_member(owner).get(reverse("logistics:batch_report", args=[batch.pk, "csv"]))

    # then
    text = response.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == "订单号,快递公司,快递单号,子订单编号,发货数量,行号,结果,说明"
    assert len(lines) == 3
    assert lines[2].startswith("\t6900000000000000001,顺丰,") and "不可发货" in lines[2]


def test_report_xlsx_lists_every_row_with_its_result(owner, as_member, batch):
    # when
    response = as_member(owner).get(reverse("logistics:batch_report", args=[batch.pk, "xlsx"]))

    # then
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "可发货",
        "不可发货",
    ]


def test_report_can_be_uploaded_again_to_retry_failed_rows(owner, as_member, batch, context_for):
    # given: the report, downloaded and uploaded as it is
    report = as_member(owner).get(reverse("logistics:batch_report", args=[batch.pk, "xlsx"]))

    # when
    again = ship_batch_preview(
        context=context_for(owner), upload=upload(report.content, "结果.xlsx")
    )

    # then
    assert again.total_rows == 2 and again.rows.filter(result="ready").count() == 1


def test_unknown_download_format_is_404(owner, as_member):
    # when
    response = as_member(owner).get(reverse("logistics:batch_template", args=["pdf"]))

    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["logistics:batch_detail", "logistics:batch_progress", "logistics:batch_confirm"]
)
def test_another_shops_batch_is_404(other_owner, as_member, batch, name):
    # when
    client = as_member(other_owner)
    url = reverse(name, args=[batch.pk])
    response = client.post(url) if name.endswith("confirm") else client.get(url)

    # then
    assert response.status_code == 404


def test_another_shops_report_is_404(other_owner, as_member, batch):
    # when
    response = as_member(other_owner).get(reverse("logistics:batch_report", args=[batch.pk, "csv"]))

    # then
    assert response.status_code == 404


def test_another_shops_batches_are_not_listed(other_owner, as_member, batch):
    # when
    response = as_member(other_owner).get(reverse("logistics:batch"))

    # then
    assert list(response.context["page"]) == []


def test_role_without_the_ship_permission_is_refused(make_member, as_member):
    # given
    service = make_member("service")

    # when
    response = as_member(service).get(reverse("logistics:batch"))

    # then
    assert response.status_code == 403


def test_warehouse_role_can_batch_ship(make_member, as_member, django_capture_on_commit_callbacks):
    # given
    warehouse = make_member("warehouse")
    order = OrderFactory(shop=warehouse.shop)
    client = as_member(warehouse)
    client.post(
        reverse("logistics:batch"),
        {"file": upload(csv_bytes([[order.order_no, "顺丰", sf_no(1), "", ""]]))},
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("logistics:batch_confirm", args=[ShipBatch.objects.get().pk]))

    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
