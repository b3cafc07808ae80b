"""What browser tests of chart pages (数据, 数据看板) share: the console errors a page
logs, a CSV download's text, and screenshots at both widths on demand."""

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
