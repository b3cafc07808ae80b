import pytest
from playwright.sync_api import expect

from affiliates.factories import ShowcaseCreatorFactory
from shops.factories import UserFactory

from .test_reports import TAOBAO_HEADER, csv_bytes, taobao_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_creator_uploads_a_taobao_report_and_sees_it_in_the_totals(console_login, tmp_path):
    # given: a creator with a 淘宝联盟 report downloaded as GBK CSV
    ShowcaseCreatorFactory(user=UserFactory(username="xiaolan"), nickname="小兰")
    report = tmp_path / "淘宝联盟订单.csv"
    rows = [
        taobao_row("2001", estimated="￥30.00"),
        taobao_row("2002", status="订单结算", settled="12.00"),
    ]
    report.write_bytes(csv_bytes(TAOBAO_HEADER, rows, encoding="gbk"))
    page = console_login("xiaolan")
    page.locator("nav.sidebar").get_by_role("link", name="佣金收入").click()
    # when
    page.get_by_role("link", name="导入联盟报表").click()
    page.get_by_label("报表来源").select_option("taobao")
    page.get_by_label("订单报表").set_input_files(str(report))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("report-preview")).to_contain_text("新增 2")
    page.screenshot(path="test-results/report-preview-1366.png", full_page=True)
    page.get_by_test_id("report-confirm").click()
    # then: the entries list shows them, and the all-time totals count them
    expect(page.locator("body")).to_contain_text("导入完成：新增 2 单")
    page.get_by_role("link", name="收入概览").click()
    total = page.locator("tr[data-period=all]")
    expect(total.locator("td[data-state=estimated]")).to_have_text("¥30.00")
    expect(total.locator("td[data-state=settled]")).to_have_text("¥12.00")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="test-results/report-income-390.png", full_page=True)
