"""Reading and writing batch-ship spreadsheets: encodings, XLSX, Excel's cell habits and
files that cannot be read at all."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from logistics.batch.files import read_ship_file, write_csv, write_xlsx
from logistics.exceptions import ShipBatchFileRejected

HEADER = "订单号,快递公司,快递单号,子订单编号,发货数量,备注"
LINE = "6900000000000000001,顺丰速运,SF1234567890123,6900000000000000011,2,𠮷 易碎"


def _csv(*lines) -> str:
    return "\r\n".join(lines) + "\r\n"


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _assert_first_row_read(rows):
    assert len(rows) == 1
    row = rows[0]
    assert (row.row_number, row.order_no, row.carrier_text, row.tracking_no) == (
        2,
        "6900000000000000001",
        "顺丰速运",
        "SF1234567890123",
    )
    assert (row.item_no, row.quantity, row.problem) == ("6900000000000000011", 2, "")


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(lambda text: text.replace("𠮷 ", "").encode("gbk"), id="gbk"),
        pytest.param(lambda text: text.encode("gb18030"), id="gb18030"),
        pytest.param(
            lambda text: text.replace(",", "\t").encode("utf-16"), id="utf-16-excel-unicode-text"
        ),
    ],
)
def test_text_files_in_every_encoding_are_read(encode):
    # given
    content = encode(_csv(HEADER, LINE))

    # when
    rows = read_ship_file(content)

    # then
    _assert_first_row_read(rows)


def test_xlsx_is_read_whatever_the_file_name():
    # given
    content = _xlsx(
        [
            ["订单号", "快递公司", "快递单号", "子订单编号", "发货数量"],
            ["6900000000000000001", "顺丰速运", "SF1234567890123", "6900000000000000011", 2],
        ]
    )

    # when
    rows = read_ship_file(content)

    # then
    _assert_first_row_read(rows)


def test_excel_tab_formula_quote_and_stray_spaces_are_cleaned():
    # given: the ways Excel and 抖店 exports protect long numbers, plus full-width spaces
    content = _csv(
        "订单号,快递公司,快递单号",
        '\t6900000000000000001,  顺丰速运\u3000,"=""SF1234567890123"""',
        "'6900000000000000002,\t中通 , 7312345678901 ",
    ).encode("utf-8-sig")

    # when
    rows = read_ship_file(content)

    # then
    assert [(r.order_no, r.carrier_text, r.tracking_no) for r in rows] == [
        ("6900000000000000001", "顺丰速运", "SF1234567890123"),
        ("6900000000000000002", "中通", "7312345678901"),
    ]


def test_order_number_mangled_into_scientific_notation_is_reported_on_its_row():
    # given
    content = _csv("订单号,快递公司,快递单号", "6.9E+18,顺丰,SF1234567890123").encode()

    # when
    rows = read_ship_file(content)

    # then
    assert "科学计数法" in rows[0].problem and "6.9E+18" in rows[0].problem


def test_long_number_stored_as_a_number_in_xlsx_is_reported_as_mangled():
    # given: Excel kept only 15 significant digits of a 19-digit order number
    content = _xlsx([["订单号", "快递公司", "快递单号"], [6.9e18, "顺丰", "SF1234567890123"]])

    # when
    rows = read_ship_file(content)

    # then
    assert "科学计数法" in rows[0].problem


def test_short_numbers_stored_as_numbers_in_xlsx_read_as_digits():
    # given
    content = _xlsx(
        [["订单号", "快递公司", "快递单号", "发货数量"], ["69", "中通", 731234567890.0, 3.0]]
    )

    # when
    rows = read_ship_file(content)

    # then
    assert (rows[0].tracking_no, rows[0].quantity, rows[0].problem) == ("731234567890", 3, "")


def test_english_headers_are_accepted_and_other_columns_ignored():
    # given
    content = _csv(
        "Order_No,Buyer,carrier,Tracking No,item_no,qty", "69,张三,ZTO,7312345678901,6911,1"
    ).encode()

    # when
    rows = read_ship_file(content)

    # then
    assert (rows[0].order_no, rows[0].carrier_text, rows[0].item_no, rows[0].quantity) == (
        "69",
        "ZTO",
        "6911",
        1,
    )


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    # given
    content = _csv("订单号,快递公司,快递单号", ",,", "69,中通,7312345678901").encode()

    # when
    rows = read_ship_file(content)

    # then
    assert [r.row_number for r in rows] == [3]


def test_quantity_that_is_not_a_positive_integer_is_reported():
    # given
    content = _csv(
        "订单号,快递公司,快递单号,子订单编号,发货数量", "69,中通,7312,6911,两件"
    ).encode()

    # when
    rows = read_ship_file(content)

    # then
    assert rows[0].problem == "发货数量“两件”不是正整数。"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "文件是空的。", id="empty"),
        pytest.param(b"\r\n \r\n", "文件是空的。", id="blank"),
        pytest.param("订单号,快递公司,快递单号\r\n".encode(), "没有要发货的行", id="header-only"),
        pytest.param(b"%PDF-1.7\n...", "PDF", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "图片", id="png"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Excel", id="xls"),
        pytest.param(b"PK\x03\x04 not really a workbook", "不是 Excel 工作簿", id="zip"),
        pytest.param(b"\x81\x20\xff\xfe\x80", "无法识别文件编码", id="encoding"),
        pytest.param(b"abc\x00\x01\x02", "不是文本表格", id="binary"),
    ],
)
def test_unreadable_files_are_rejected_saying_why(content, message):
    # when / then
    with pytest.raises(ShipBatchFileRejected, match=message):
        read_ship_file(content)


def test_a_zip_that_is_not_a_workbook_is_rejected():
    # given: e.g. a .docx renamed to .xlsx
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    # when / then
    with pytest.raises(ShipBatchFileRejected, match="不是 Excel 工作簿"):
        read_ship_file(buffer.getvalue())


def test_missing_required_column_is_named():
    # given
    content = _csv("订单号,快递单号", "69,7312345678901").encode()

    # when / then
    with pytest.raises(ShipBatchFileRejected, match="缺少必填列：快递公司。"):
        read_ship_file(content)


def test_a_column_given_twice_is_rejected():
    # given
    content = _csv("订单号,主订单编号,快递公司,快递单号", "69,69,中通,7312").encode()

    # when / then
    with pytest.raises(ShipBatchFileRejected, match="“订单号”列出现了两次"):
        read_ship_file(content)


def test_too_many_rows_are_rejected(monkeypatch):
    # given
    monkeypatch.setattr("logistics.batch.files.MAX_ROWS", 2)
    content = _csv("订单号,快递公司,快递单号", *["69,中通,7312"] * 3).encode()

    # when / then
    with pytest.raises(ShipBatchFileRejected, match="最多 2 行"):
        read_ship_file(content)


def test_written_csv_has_a_bom_and_protects_long_numbers_and_reads_back():
    # given
    headers = ["订单号", "快递公司", "快递单号"]

    # when
    content = write_csv(headers, [["6900000000000000001", "顺丰", "SF1"]], text_columns=(0, 2))

    # then
    assert content.startswith("\ufeff订单号".encode())
    assert "\t6900000000000000001,顺丰,\tSF1".encode() in content
    assert read_ship_file(content)[0].order_no == "6900000000000000001"


def test_written_xlsx_keeps_long_numbers_as_text_and_reads_back():
    # when
    content = write_xlsx(
        ["订单号", "快递公司", "快递单号"],
        [["6900000000000000001", "顺丰", "SF1"]],
        text_columns=(0,),
        notes=["说明"],
    )

    # then
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].number_format == "@" and sheet["A2"].value == "6900000000000000001"
    assert read_ship_file(content)[0].order_no == "6900000000000000001"


def test_written_files_never_turn_text_into_formulas():
    # given
    rows = [["6900000000000000001", '=HYPERLINK("http://x")', "SF1"]]

    # when
    csv_content = write_csv(["订单号", "快递公司", "快递单号"], rows, text_columns=(0,))
    xlsx_content = write_xlsx(["订单号", "快递公司", "快递单号"], rows)

    # then
    assert ",\"'=HYPERLINK(" in csv_content.decode("utf-8-sig")
    cell = load_workbook(io.BytesIO(xlsx_content)).worksheets[0]["B2"]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://x")')
