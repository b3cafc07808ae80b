import io

import pytest
from openpyxl import load_workbook

from core.exports import csv_bytes, neutralise, unneutralise, xlsx_bytes

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_puts_an_apostrophe_before_formula_starts_and_reads_back(text):
    # given / when
    written = neutralise(text)
    # then
    assert written == "'" + text
    assert unneutralise(written) == text


def test_neutralise_leaves_numbers_and_plain_text_alone():
    # given / when / then
    assert [neutralise(v) for v in (-5, 3.5, None, "羊毛围巾", "'引号")] == [
        -5,
        3.5,
        None,
        "羊毛围巾",
        "'引号",
    ]


def test_csv_bytes_neutralises_every_cell():
    # given
    rows = [[text, 1] for text in DANGEROUS]
    # when
    content = csv_bytes(["=标题", "数量"], rows).decode("utf-8-sig")
    # then
    assert content.startswith("'=标题,数量\r\n")
    assert "'=1+1,1" in content and "'@SUM(A1),1" in content and "'-1,1" in content


def test_xlsx_bytes_keeps_formula_like_text_as_text():
    # given
    rows = [[text, -3] for text in DANGEROUS]
    # when
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["标题", "数量"], rows))).worksheets[0]
    # then
    cells = [sheet.cell(row=n, column=1) for n in range(2, 2 + len(DANGEROUS))]
    # (XML turns a stored CR into LF: still text, never a formula)
    assert [(c.data_type, c.value.replace("\n", "\r")) for c in cells] == [
        ("s", text) for text in DANGEROUS
    ]
    assert all(c.quotePrefix for c in cells)
    assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"


def test_xlsx_bytes_writes_amounts_as_numbers_and_times_as_dates():
    # given
    from datetime import datetime
    from decimal import Decimal

    from django.utils import timezone

    paid_at = timezone.make_aware(datetime(2026, 11, 1, 20, 30))
    # when
    content = xlsx_bytes(["实付", "支付时间"], [[Decimal("12.90"), paid_at]])
    # then: a number with two decimals, and the Beijing time as an Excel date
    amount, moment = load_workbook(io.BytesIO(content)).worksheets[0][2]
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 12.9, "0.00")
    assert moment.is_date and moment.value == datetime(2026, 11, 1, 20, 30)
