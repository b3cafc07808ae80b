"""导入联盟报表 in the console and the API: preview, then an all-or-nothing confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.models import Commission, IncomeSource
from shops.tenancy import ContextKind

from .test_reports import TAOBAO_HEADER, csv_bytes, taobao_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    return ShowcaseCreatorFactory()


@pytest.fixture
def creator_client(client, creator):
    client.force_login(creator.user)
    client.post(reverse("console:switch"), {"context": ContextKind.CREATOR})
    return client


@pytest.fixture
def api(creator):
    client = APIClient()
    client.force_authenticate(creator.user)
    return client


def upload(content, name="taobao.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def good_report():
    return csv_bytes(TAOBAO_HEADER, [taobao_row("1001"), taobao_row("1002")], encoding="gbk")


def test_the_preview_counts_rows_and_confirm_imports_them(creator_client, creator):
    # when
    preview = creator_client.post(
        reverse("affiliates:income_reports"),
        {"source": IncomeSource.TAOBAO, "file": upload(good_report())},
    )
    # then
    assert "共 2 行：新增 2，更新 0，无变化 0。" in preview.content.decode()
    assert not Commission.objects.exists()
    # when
    done = creator_client.post(reverse("affiliates:income_reports_confirm"))
    # then
    assert done.status_code == 302 and done.url.endswith("?source=taobao")
    assert Commission.objects.filter(creator=creator, source=IncomeSource.TAOBAO).count() == 2


def test_a_preview_with_errors_names_the_cells_and_offers_no_confirm(creator_client):
    # given
    content = csv_bytes(TAOBAO_HEADER, [taobao_row("1001", estimated="abc")])
    # when
    response = creator_client.post(
        reverse("affiliates:income_reports"),
        {"source": IncomeSource.TAOBAO, "file": upload(content)},
    )
    # then
    html = response.content.decode()
    assert "第 2 行" in html and "G 付款预估收入" in html and "“abc”不是金额。" in html
    assert 'data-testid="report-confirm"' not in html


def test_a_file_that_is_not_a_report_is_refused_on_the_form(creator_client):
    # when
    response = creator_client.post(
        reverse("affiliates:income_reports"),
        {"source": IncomeSource.JD, "file": upload(b"%PDF-1.4 whatever", "x.csv")},
    )
    # then
    assert response.status_code == 200
    assert "这是 PDF 文件" in response.content.decode()


def test_confirm_without_a_preview_says_so(creator_client):
    # when
    response = creator_client.post(reverse("affiliates:income_reports_confirm"), follow=True)
    # then
    assert "没有待确认的报表" in response.content.decode()
    assert not Commission.objects.exists()


def test_the_api_previews_then_imports_with_the_token(api, creator):
    # when
    preview = api.post(
        "/api/v1/income/reports/preview/",
        {"source": "taobao", "file": upload(good_report())},
        format="multipart",
    )
    done = api.post("/api/v1/income/reports/", {"token": preview.json()["token"]}, format="json")
    # then
    assert preview.status_code == 200 and preview.json()["new"] == 2
    assert done.status_code == 201 and done.json()["new"] == 2
    assert Commission.objects.filter(creator=creator).count() == 2
    summary = api.get("/api/v1/income/summary/").json()
    assert summary["by_source"]["taobao"]["estimated_fen"] == 2500


def test_the_api_preview_lists_the_error_rows(api):
    # when
    response = api.post(
        "/api/v1/income/reports/preview/",
        {"source": "taobao", "file": upload(csv_bytes(TAOBAO_HEADER, [taobao_row("")]))},
        format="multipart",
    )
    # then
    body = response.json()
    assert body["errors"] == 1 and "token" not in body
    assert body["error_rows"] == [
        {"row": 2, "column": "C 淘宝子订单编号", "message": "订单号不能为空。"}
    ]


def test_another_creators_token_is_refused(api, creator):
    # given
    other = ShowcaseCreatorFactory()
    other_api = APIClient()
    other_api.force_authenticate(other.user)
    token = other_api.post(
        "/api/v1/income/reports/preview/",
        {"source": "taobao", "file": upload(good_report())},
        format="multipart",
    ).json()["token"]
    # when
    response = api.post("/api/v1/income/reports/", {"token": token}, format="json")
    # then
    assert response.status_code == 400 and "token" in response.json()["fields"]
    assert not Commission.objects.exists()


def test_a_forged_token_is_refused(api):
    response = api.post("/api/v1/income/reports/", {"token": "abc"}, format="json")
    assert response.status_code == 400 and "token" in response.json()["fields"]
