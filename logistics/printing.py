"""Waybill (面单) PDFs: one 100 × 150 mm page per parcel with the tracking number as a
Code 128 barcode (the symbology carriers' scanners read) and the number under it.

reportlab draws both the page and the barcode (reportlab.graphics.barcode), and its
built-in CID font STSong-Light covers Chinese without shipping a font file: the PDF
names the Adobe-GB1 font and the viewer or printer supplies the glyphs.
"""

import io
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

PAGE = (100 * mm, 150 * mm)
MARGIN = 5 * mm
MAX_ITEM_LINES = 6
NUMBER_FONT, NUMBER_SIZE = "Helvetica", 10
BARCODE_TEXT_GAP = 2 * mm
# Lines break between words, never inside one. A word is a run of letters and digits
# (a house or room number, "B座", "3-2-101") with the unit after it (号, 室 …), or a
# place name up to its suffix (广东省, 南山区, 粤海街道, 科苑路); other characters
# stand alone.
WORD = re.compile(
    r"[0-9A-Za-z][0-9A-Za-z#/\-]*[号室栋楼层座幢弄巷单元]?"
    r"|[\u4e00-\u9fff]{1,7}?(?:自治区|街道|小区|大厦|广场|省|市|区|县|镇|乡|路|街|巷|弄|村|园|里)"
    r"|\s+|."
)


@dataclass(frozen=True)
class Waybill:
    carrier: str
    tracking_no: str
    receiver_name: str
    receiver_phone: str
    receiver_address: str
    sender_name: str
    sender_phone: str
    sender_address: str
    shop_name: str
    order_nos: list[str]
    items: list[tuple[str, str, int]]  # title, spec, quantity
    shipped_at: datetime


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` between words (WORD): Chinese has no
    spaces, so each Chinese character is a word, but a house number never splits."""
    lines, line = [], ""
    words = [
        # A word no line holds whole is cut by character, as the only way to print it.
        part
        for word in WORD.findall(text)
        for part in (list(word) if pdfmetrics.stringWidth(word, CJK, size) > width else [word])
    ]
    for word in words:
        if pdfmetrics.stringWidth(line + word, CJK, size) > width and line.strip():
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class _Page:
    """A cursor down one page: each call draws and moves below what it drew."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.width = PAGE[0] - 2 * MARGIN
        self.y = PAGE[1] - MARGIN

    def text(self, text: str, size: float, *, indent: float = 0, gap: float = 1.5) -> None:
        self.canvas.setFont(CJK, size)
        for line in _wrap(text, size, self.width - indent):
            self.y -= size + gap
            self.canvas.drawString(MARGIN + indent, self.y, line)

    def rule(self, space: float = 2 * mm) -> None:
        self.y -= space
        self.canvas.setLineWidth(0.6)
        self.canvas.line(MARGIN, self.y, PAGE[0] - MARGIN, self.y)

    def labelled(self, label: str, lines: list[tuple[str, float]]) -> None:
        """A block like 收 / 寄: a boxed label left, its lines right of it."""
        top = self.y
        self.canvas.setFont(CJK, 12)
        self.canvas.rect(MARGIN, top - 7 * mm, 7 * mm, 7 * mm)
        self.canvas.drawCentredString(MARGIN + 3.5 * mm, top - 5.2 * mm, label)
        for text, size in lines:
            self.text(text, size, indent=9 * mm)
        self.y = min(self.y, top - 7 * mm)


def _barcode(page: _Page, number: str) -> None:
    height = 16 * mm
    barcode = Code128(number, barHeight=height, barWidth=0.33 * mm, humanReadable=False)
    if barcode.width > page.width:
        barcode = Code128(number, barHeight=height, barWidth=0.33 * mm * page.width / barcode.width)
    page.y -= height
    barcode.drawOn(page.canvas, (PAGE[0] - barcode.width) / 2, page.y)
    # The number under the bars, drawn here rather than by reportlab (whose text
    # touches the bars), with a clear gap a scanner and a person both need.
    ascent = pdfmetrics.getAscent(NUMBER_FONT) * NUMBER_SIZE / 1000
    page.y -= BARCODE_TEXT_GAP + ascent
    page.canvas.setFont(NUMBER_FONT, NUMBER_SIZE)
    page.canvas.drawCentredString(PAGE[0] / 2, page.y, number)


def _draw(canvas: Canvas, bill: Waybill) -> None:
    page = _Page(canvas)
    page.text(bill.carrier, 16)
    canvas.setFont(CJK, 8)
    canvas.drawRightString(PAGE[0] - MARGIN, page.y, bill.shipped_at.strftime("%Y-%m-%d %H:%M"))
    page.rule()
    _barcode(page, bill.tracking_no)
    page.rule()
    page.y -= 1 * mm
    page.labelled(
        _("收"),
        [(f"{bill.receiver_name}  {bill.receiver_phone}", 12), (bill.receiver_address, 10)],
    )
    page.rule()
    page.y -= 1 * mm
    page.labelled(
        _("寄"),
        [(f"{bill.sender_name}  {bill.sender_phone}", 9), (bill.sender_address, 8)],
    )
    page.rule()
    page.text(_("商品"), 9)
    shown = bill.items[:MAX_ITEM_LINES]
    for title, spec, quantity in shown:
        page.text(f"{title} {spec} × {quantity}".replace("  ", " "), 8, indent=2 * mm)
    if len(bill.items) > len(shown):
        rest = sum(q for _t, _s, q in bill.items[len(shown) :])
        page.text(
            _("…… 另有 %(kinds)s 种共 %(n)s 件")
            % {"kinds": len(bill.items) - len(shown), "n": rest},
            8,
            indent=2 * mm,
        )
    page.rule()
    page.text(_("订单号：") + "、".join(bill.order_nos), 8)
    canvas.setFont(CJK, 8)
    canvas.drawString(MARGIN, MARGIN, bill.shop_name)


def waybills_pdf(bills: list[Waybill]) -> bytes:
    """One PDF, a page per waybill, in the order given."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE)
    canvas.setTitle(_("电子面单"))
    canvas.setCreator("xiaodian")
    for bill in bills:
        _draw(canvas, bill)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
