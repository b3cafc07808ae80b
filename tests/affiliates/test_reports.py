"""淘宝联盟 / 京东联盟 order reports: reading the files creators download, and writing
them into the ledger all or nothing (affiliates.ledger.reports, .report_import)."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Sum
from openpyxl import Workbook

from affiliates.ledger.models import Bucket, Commission, CommissionState, IncomeSource, LedgerEntry
from affiliates.ledger.report_import import ReportRejected, report_import, report_preview
from affiliates.ledger.reports import parse_percent_bp, read_report
from shops.factories import CreatorFactory

pytestmark = pytest.mark.django_db
C = CommissionState

TAOBAO_HEADER = [
    "创建时间", "淘宝父订单编号", "淘宝子订单编号", "商品信息", "商品数", "付款金额",
    "付款预估收入", "结算金额", "结算预估收入", "收入比率", "技术服务费比率", "订单状态",
    "结算时间",
]  # fmt: skip
JD_HEADER = [
    "订单号", "父单号", "SKU ID", "商品名称", "商品数量", "计佣金额", "佣金比例", "分成比例",
    "预估佣金", "实际佣金", "订单状态", "下单时间", "完成时间",
]  # fmt: skip


def taobao_row(line_no, status="订单付款", estimated="￥12.50", settled="", settled_at=""):
    return [
        "2026-11-01 20:15:00", f"\t{line_no}0", f'="{line_no}"', "夏季纯棉T恤", "1",
        "￥125.00", estimated, "", settled, "10.00%", "10%", status, settled_at,
    ]  # fmt: skip


def jd_row(order_no, sku="100012", status="已付款", estimated="8.80", actual="0"):
    return [
        order_no, "0", sku, "蓝牙耳机", "2", "1,100.00", "10%", "80%",
        estimated, actual, status, "2026/11/02 09:30:00", "",
    ]  # fmt: skip


def csv_bytes(header, rows, *, encoding="utf-8-sig", title=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if title:
        writer.writerow([title])
    writer.writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        # A union's XLSX holds values, not Excel's ="…" text trick.
        sheet.append([cell.strip('="').strip() for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def net(creator, **filters):
    total = LedgerEntry.objects.filter(creator=creator, **filters).aggregate(t=Sum("net_fen"))
    return total["t"] or 0


@pytest.mark.parametrize(
    "text,bp", [("10.00%", 1000), ("20 %", 2000), ("7.5", 750), ("0.2", 2000), ("0", 0)]
)
def test_rates_are_read_as_basis_points(text, bp):
    assert parse_percent_bp(text) == bp


@pytest.mark.parametrize(
    "encode",
    [
        lambda h, r: csv_bytes(h, r, encoding="gbk"),
        lambda h, r: csv_bytes(h, r, encoding="gb18030"),
        lambda h, r: csv_bytes(h, r, encoding="utf-8-sig"),
        lambda h, r: csv_bytes(h, r, encoding="utf-8"),
        xlsx_bytes,
    ],
    ids=["gbk", "gb18030", "utf8-bom", "utf8", "xlsx"],
)
def test_a_taobao_report_reads_the_same_in_every_encoding(encode):
    # given
    content = encode(TAOBAO_HEADER, [taobao_row("3001")])
    # when
    report = read_report(content, source=IncomeSource.TAOBAO)
    # then
    assert report.errors == []
    (row,) = report.rows
    assert (row.key, row.order_no, row.estimated_fen, row.base_fen) == (
        "3001",
        "30010",
        1250,
        12500,
    )
    assert (row.rate_bp, row.fee_rate_bp, row.state) == (1000, 1000, C.ESTIMATED)


def test_shuffled_columns_extra_columns_and_a_title_line_are_read():
    # given
    header = ["备注", *reversed(TAOBAO_HEADER)]
    row = ["随便写的", *reversed(taobao_row("3002", status="订单结算", settled="13.00"))]
    content = csv_bytes(header, [row], title="淘宝联盟订单明细 2026-11")
    # when
    report = read_report(content, source=IncomeSource.TAOBAO)
    # then
    assert report.errors == []
    assert (report.rows[0].state, report.rows[0].income_fen) == (C.SETTLED, 1300)


def test_a_jd_line_is_an_order_and_sku_and_its_rate_is_commission_times_share():
    # when
    report = read_report(csv_bytes(JD_HEADER, [jd_row("88001")]), source=IncomeSource.JD)
    # then
    (row,) = report.rows
    assert (row.key, row.rate_bp, row.estimated_fen, row.base_fen) == (
        "88001-100012",
        800,
        880,
        110000,
    )


@pytest.mark.parametrize(
    "status,state",
    [
        ("已付款", C.ESTIMATED),
        ("已完成", C.PENDING),
        ("已结算", C.SETTLED),
        ("无效-拆单", C.INVALID),
    ],
)
def test_jd_status_words_map_to_the_ledgers_states(status, state):
    report = read_report(csv_bytes(JD_HEADER, [jd_row("1", status=status)]), source=IncomeSource.JD)
    assert report.rows[0].state == state


def test_each_bad_cell_is_named_by_row_and_column():
    # given
    rows = [
        taobao_row("4001"),
        taobao_row("4002", estimated="十二块"),
        taobao_row("4003", status="订单挂起"),
        taobao_row(""),
    ]
    # when
    report = read_report(csv_bytes(TAOBAO_HEADER, rows), source=IncomeSource.TAOBAO)
    # then
    assert [str(error) for error in report.errors] == [
        "第 3 行 G 付款预估收入：“十二块”不是金额。",
        "第 4 行 L 订单状态：未知的订单状态“订单挂起”。",
        "第 5 行 C 淘宝子订单编号：订单号不能为空。",
    ]
    assert [row.key for row in report.rows] == ["4001"]


def test_a_file_without_the_required_columns_is_refused_as_a_whole():
    # given
    creator = CreatorFactory()
    content = csv_bytes(["订单编号", "金额"], [["1", "2"]])
    # when / then
    with pytest.raises(Exception) as caught:
        report_import(creator=creator, source=IncomeSource.TAOBAO, content=content)
    assert "付款预估收入" in str(caught.value)
    assert not Commission.objects.exists()


def test_preview_counts_and_writes_nothing():
    # given
    creator = CreatorFactory()
    content = csv_bytes(TAOBAO_HEADER, [taobao_row("5001"), taobao_row("5002")])
    # when
    outcome = report_preview(creator=creator, source=IncomeSource.TAOBAO, content=content)
    # then
    assert (outcome.rows, outcome.new, outcome.errors) == (2, 2, [])
    assert not Commission.objects.exists() and not LedgerEntry.objects.exists()


def test_import_puts_external_income_in_its_state_and_never_in_withdrawable(
    creator_context,
):
    # given
    creator = CreatorFactory()
    rows = [
        taobao_row("6001"),
        taobao_row("6002", status="订单结算", settled="13.00", settled_at="2026-11-20 10:00:00"),
    ]
    # when
    report_import(
        creator=creator, source=IncomeSource.TAOBAO, content=csv_bytes(TAOBAO_HEADER, rows)
    )
    # then
    assert net(creator, bucket=Bucket.ESTIMATED) == 1250
    assert net(creator, bucket=Bucket.SETTLED, source=IncomeSource.TAOBAO) == 1300
    from affiliates.ledger.withdrawals import withdrawable_fen

    assert withdrawable_fen(creator.pk) == 0
    settled = Commission.objects.get(external_order_no="6002")
    assert settled.state == C.SETTLED and settled.settled_at.day == 20


def test_reimporting_the_same_file_changes_nothing():
    # given
    creator = CreatorFactory()
    content = csv_bytes(TAOBAO_HEADER, [taobao_row("7001"), taobao_row("7002", "订单失效")])
    report_import(creator=creator, source=IncomeSource.TAOBAO, content=content)
    entries = LedgerEntry.objects.count()
    # when
    outcome = report_import(creator=creator, source=IncomeSource.TAOBAO, content=content)
    # then
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert LedgerEntry.objects.count() == entries


def test_a_later_report_moves_an_order_forward_as_entries():
    # given
    creator = CreatorFactory()
    paid = csv_bytes(TAOBAO_HEADER, [taobao_row("8001", estimated="12.50")])
    settled = csv_bytes(TAOBAO_HEADER, [taobao_row("8001", status="订单结算", settled="11.80")])
    report_import(creator=creator, source=IncomeSource.TAOBAO, content=paid)
    # when
    outcome = report_import(creator=creator, source=IncomeSource.TAOBAO, content=settled)
    # then
    assert outcome.updated == 1
    commission = Commission.objects.get(external_order_no="8001")
    assert commission.state == C.SETTLED
    assert net(creator, bucket=Bucket.ESTIMATED) == 0
    assert net(creator, bucket=Bucket.PENDING) == 0
    assert net(creator, bucket=Bucket.SETTLED) == 1180
    kinds = list(commission.entries.order_by("id").values_list("kind", flat=True))
    assert kinds[0] == "import" and "settle" in kinds


def test_an_older_report_does_not_move_an_order_back():
    # given
    creator = CreatorFactory()
    report_import(
        creator=creator,
        source=IncomeSource.TAOBAO,
        content=csv_bytes(TAOBAO_HEADER, [taobao_row("8101", "订单成功")]),
    )
    # when
    outcome = report_import(
        creator=creator,
        source=IncomeSource.TAOBAO,
        content=csv_bytes(TAOBAO_HEADER, [taobao_row("8101", "订单付款")]),
    )
    # then
    assert outcome.unchanged == 1 and outcome.notes
    assert Commission.objects.get(external_order_no="8101").state == C.PENDING


def test_one_bad_row_leaves_the_ledger_untouched():
    # given
    creator = CreatorFactory()
    rows = [taobao_row(str(9000 + n)) for n in range(50)] + [taobao_row("9999", estimated="x")]
    # when
    with pytest.raises(ReportRejected) as caught:
        report_import(
            creator=creator, source=IncomeSource.TAOBAO, content=csv_bytes(TAOBAO_HEADER, rows)
        )
    # then
    assert caught.value.outcome.errors[0].row == 52
    assert not Commission.objects.exists() and not LedgerEntry.objects.exists()


def test_the_same_order_id_of_another_creator_is_their_own_line():
    # given
    mine, theirs = CreatorFactory(), CreatorFactory()
    content = csv_bytes(TAOBAO_HEADER, [taobao_row("9101")])
    report_import(creator=theirs, source=IncomeSource.TAOBAO, content=content)
    # when
    outcome = report_import(creator=mine, source=IncomeSource.TAOBAO, content=content)
    # then
    assert outcome.new == 1
    assert net(theirs) == net(mine) == 1250


def test_the_command_prints_errors_then_one_json_line_and_fails(tmp_path, capsys):
    # given
    creator = CreatorFactory(douyin_id="dy_report")
    path = tmp_path / "jd.csv"
    path.write_bytes(
        csv_bytes(
            JD_HEADER,
            [
                jd_row("1", status="已结算", estimated="8.80", actual="8.00"),
                jd_row("2", status="无效-取消", estimated="5.00"),
                jd_row("3", status="奇怪"),
            ],
            encoding="gbk",
        )
    )
    # when
    with pytest.raises(SystemExit) as exited:
        call_command("import_affiliate_report", str(path), creator=creator.douyin_id, source="jd")
    # then
    out, err = capsys.readouterr()
    assert exited.value.code == 1
    assert "第 4 行 K 订单状态" in err
    assert json.loads(out.strip().splitlines()[-1]) == {
        "rows": 3, "new": 2, "updated": 0, "unchanged": 0, "errors": 1,
        "estimated_fen": 880, "settled_fen": 800,
    }  # fmt: skip
    assert not Commission.objects.exists()


def test_the_command_imports_a_clean_file(tmp_path, capsys):
    # given
    creator = CreatorFactory(douyin_id="dy_report2")
    path = tmp_path / "taobao.xlsx"
    path.write_bytes(xlsx_bytes(TAOBAO_HEADER, [taobao_row("1"), taobao_row("2", "订单成功")]))
    # when
    call_command("import_affiliate_report", str(path), creator=creator.douyin_id, source="taobao")
    # then
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["new"], summary["errors"], summary["estimated_fen"]) == (2, 0, 2500)
    assert Commission.objects.filter(creator=creator, source=IncomeSource.TAOBAO).count() == 2


def test_imported_income_is_drawn_on_the_daily_chart(creator_context):
    # given: one line paid, one settled, imported today
    from django.utils import timezone

    from affiliates.ledger.selectors import income_daily

    creator = CreatorFactory()
    rows = [taobao_row("9201"), taobao_row("9202", status="订单结算", settled="11.80")]
    report_import(
        creator=creator, source=IncomeSource.TAOBAO, content=csv_bytes(TAOBAO_HEADER, rows)
    )
    today = timezone.localdate()
    # when
    (day,) = income_daily(context=creator_context(creator), start=today, end=today)
    # then
    assert (day["estimated_fen"], day["settled_fen"]) == (1250 + 1250, 1180)
