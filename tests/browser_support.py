"""What browser tests share: the console errors a page logs, a CSV download's text,
screenshots at both widths on demand, the charts and tables of chart pages (数据, 数据看板),
the buyer's forms (checkout, after-sale), filling and submitting a form, and an owner
signed in on a 店铺设置 page."""

import os
from pathlib import Path

# A folder: set, the tests save their pages there at 1366 and 390 px (look at them).
SCREENSHOTS = os.environ.get("STATS_SCREENSHOTS", "")


def console_errors(page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def download_text(page, selector: str) -> str:
    """Click `selector`, return the downloaded file's text (UTF-8 with BOM)."""
    with page.expect_download() as download:
        page.locator(selector).click()
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


def screenshots(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)


def chart_values(page, chart: str) -> list:
    """The values of the first series of ECharts chart `chart` (window.xiaodianCharts)."""
    data = page.evaluate(f"window.xiaodianCharts.{chart}.getOption().series[0].data")
    return [v["value"] if isinstance(v, dict) else v for v in data]


def table_column(page, table: str, column: int) -> list[str]:
    """The texts of column `column` (1 = first) of the body rows of [data-table=`table`]."""
    return page.locator(f"[data-table={table}] tbody tr td:nth-child({column})").all_inner_texts()


def csv_column_total(text: str, column: int = 1) -> int:
    """The sum of column `column` (0 = first) of a CSV's rows below its header."""
    return sum(int(line.split(",")[column]) for line in text.splitlines()[1:])


def fill_receiver(
    page,
    name="王小明",
    phone="13912345678",
    province="浙江省",
    city="杭州市",
    district="余杭区",
    detail="五常街道文一西路 969 号",
    words="",
) -> None:
    """Fill the buyer's checkout form: the receiver (王小明 of 杭州 unless told; the province
    is a select) and, when given, the buyer's words (买家留言)."""
    page.fill("#id_receiver_name", name)
    page.fill("#id_receiver_phone", phone)
    page.select_option("#id_receiver_province", province)
    page.fill("#id_receiver_city", city)
    page.fill("#id_receiver_district", district)
    page.fill("#id_receiver_detail", detail)
    if words:
        page.fill("#id_buyer_words", words)


def ask_for_aftersale(page, *, type: str, amount: str) -> None:
    """On the buyer's order page: open 申请售后, choose the type (its value) and submit."""
    page.locator("#aftersale-form summary").click()
    page.select_option("#id_type", value=type)
    page.fill("#id_amount", amount)
    page.get_by_role("button", name="提交申请").click()


def fill_and_submit(page, field: str, value: str, button: str) -> None:
    """Put `value` in `field` and press the button named `button`."""
    page.fill(field, value)
    page.get_by_role("button", name=button).click()


def owner_settings_page(console_login, live_server, *, username, shop_name, link, width):
    """Sign in `username`, owner of a new shop `shop_name` (slug: the username), and open
    店铺设置 → `link` at `width` px; returns the page."""
    from shops.factories import MembershipFactory, ShopFactory, UserFactory
    from shops.roles import Role

    user = UserFactory(username=username)
    MembershipFactory(user=user, shop=ShopFactory(name=shop_name, slug=username), role=Role.OWNER)
    page = console_login(username)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name=link).click()
    return page
