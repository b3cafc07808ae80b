"""Order files' services: inline or Celery exports, unmasked exports logged like a
reveal, the 7-day purge, daily schedules, the Celery import job, parcels in 快递信息."""

import threading
import time as time_module
from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone

from core.exceptions import PermissionRefused
from logistics.factories import ShipmentFactory
from orders.factories import OrderFactory
from orders.files import export, imports, jobs, services
from orders.files.imports import ImportCollided, import_orders
from orders.files.models import ExportSchedule, FileJobStatus, OrderExport, OrderImport
from orders.files.services import export_start
from orders.models import Order, OrderEvent, OrderEventKind, OrderStatus
from products.factories import ProductFactory
from shops.roles import Role

from .aftersale_support import refund_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def three_orders(shop):
    return [OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT) for _ in range(3)]


def test_a_small_export_is_written_at_once(three_orders, shop_context):
    # when
    record = export_start(context=shop_context, params={"tab": "to_ship"})
    # then
    assert record.status == FileJobStatus.DONE and record.rows == 3
    assert len(record.file.read().decode("utf-8-sig").splitlines()) == 4


def test_a_large_export_is_queued_for_a_worker_then_written_by_it(
    three_orders, shop_context, settings, django_capture_on_commit_callbacks
):
    # given
    settings.ORDER_EXPORT_INLINE_MAX_ROWS = 2
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = export_start(context=shop_context, params={})
    # then
    assert OrderExport.objects.get(pk=record.pk).status == FileJobStatus.QUEUED
    # when the worker runs it (Celery eager here)
    for callback in callbacks:
        callback()
    # then
    done = OrderExport.objects.get(pk=record.pk)
    assert (done.status, done.rows, done.progress) == (FileJobStatus.DONE, 3, 100)


def test_an_unmasked_export_needs_the_reveal_permission(three_orders, make_member, context_for):
    # given
    operator = make_member(Role.OPERATOR, shop=three_orders[0].shop)
    # when / then
    with pytest.raises(PermissionRefused):
        export_start(context=context_for(operator), params={}, unmasked=True)
    assert not OrderExport.objects.exists()


def test_an_unmasked_export_is_logged_on_each_order_like_a_reveal(
    three_orders, shop_context, owner
):
    # when
    record = export_start(context=shop_context, params={}, unmasked=True)
    # then
    assert "13812345678" in record.file.read().decode("utf-8-sig")
    reveals = OrderEvent.objects.filter(kind=OrderEventKind.RECEIVER_REVEAL)
    assert sorted(reveals.values_list("order_id", flat=True)) == sorted(o.pk for o in three_orders)
    assert {e.actor_id for e in reveals} == {owner.user.pk}


def test_a_masked_export_logs_no_reveal(three_orders, shop_context):
    export_start(context=shop_context, params={})
    assert not OrderEvent.objects.filter(kind=OrderEventKind.RECEIVER_REVEAL).exists()


def test_files_older_than_seven_days_are_removed(three_orders, shop_context):
    # given
    old = export_start(context=shop_context, params={})
    fresh = export_start(context=shop_context, params={})
    OrderExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    path = old.file.path
    # when
    removed = services.exports_purge()
    # then
    assert removed == 1
    assert list(OrderExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old.file.storage.exists(old.file.name) and path


def _schedule(context, at):
    return services.export_schedule_create(
        context=context, name="仓库日报", params={"tab": "to_ship"}, by="item",
        columns=["order_no", "item_no"], fmt="csv", at_time=at,
    )  # fmt: skip


def test_a_schedule_exports_once_a_day_when_its_time_has_come(three_orders, shop_context):
    # given
    schedule = _schedule(shop_context, time(8, 0))
    now = timezone.make_aware(timezone.datetime(2026, 11, 30, 8, 1))
    # when
    started = services.export_schedules_run(now=now)
    again = services.export_schedules_run(now=now + timedelta(minutes=1))
    # then
    assert (started, again) == (1, 0)
    record = OrderExport.objects.get(schedule=schedule)
    assert record.status == FileJobStatus.DONE and record.rows == 3
    assert record.columns == ["order_no", "item_no"]


def test_a_schedule_waits_for_its_time(three_orders, shop_context):
    _schedule(shop_context, time(9, 0))
    now = timezone.make_aware(timezone.datetime(2026, 11, 30, 8, 59))
    assert services.export_schedules_run(now=now) == 0
    assert not OrderExport.objects.exists()


def test_deleting_a_schedule_stops_it(three_orders, shop_context):
    schedule = _schedule(shop_context, time(8, 0))
    services.export_schedule_delete(context=shop_context, schedule_id=schedule.pk)
    assert not ExportSchedule.objects.exists()


def test_a_large_import_runs_as_a_celery_job(
    three_orders, shop_context, other_owner, context_for, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # given
    content, _rows = export.render(
        export.filtered_orders(context=shop_context, params={}), export.columns_of(()),
        by="item", fmt="csv", masked=True,
    )  # fmt: skip
    other = context_for(other_owner)
    monkeypatch.setattr(jobs, "INLINE_MAX_ROWS", 2)
    job = jobs.import_upload(context=other, upload=SimpleUploadedFile("orders.csv", content))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        queued = jobs.import_confirm(context=other, import_id=job.pk)
    # then
    assert queued.status == FileJobStatus.QUEUED
    job.refresh_from_db()
    assert job.status == FileJobStatus.DONE and job.processed == 3
    assert Order.objects.filter(shop=other.shop).count() == 3


def _processed_seen_from_outside(import_id: int) -> int:
    other = connections.create_connection(connection.alias)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT processed FROM orders_orderimport WHERE id = %s", [import_id])
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_an_import_jobs_progress_is_seen_while_its_transaction_is_open(shop):
    # given
    job = OrderImport.objects.create(shop=shop, file_name="f.csv", total=30_000)
    # when
    with transaction.atomic(), jobs._progress_writer(job.pk) as progress:
        progress(20_000)
        seen = _processed_seen_from_outside(job.pk)
    # then
    assert seen == 20_000


@pytest.mark.django_db(transaction=True)
def test_progress_does_not_wait_for_a_job_row_another_transaction_holds(shop):
    # given
    job = OrderImport.objects.create(shop=shop, file_name="f.csv", total=30_000)
    # when
    with transaction.atomic(), jobs._progress_writer(job.pk) as progress:
        OrderImport.objects.select_for_update().get(pk=job.pk)
        progress(20_000)
    # then
    assert _processed_seen_from_outside(job.pk) == 0


def test_the_tracking_column_lists_each_parcel_as_number_dash_carrier(shop, shop_context):
    # given
    skus = [ProductFactory(shop=shop).skus.get().pk for _ in range(2)]
    order = OrderFactory(shop=shop, lines=[(sku, 1) for sku in skus])
    first, second = order.items.order_by("id")
    one = ShipmentFactory(order=order, quantities={first.pk: first.quantity})
    two = ShipmentFactory(order=order, quantities={second.pk: second.quantity})
    orders = export.filtered_orders(context=shop_context, params={})
    # when
    content, _rows = export.render(
        orders, export.columns_of(["tracking"]), by="order", fmt="csv", masked=True
    )
    # then
    cell = content.decode("utf-8-sig").splitlines()[1]
    assert cell == (f"{one.tracking_no}-{one.carrier.name};{two.tracking_no}-{two.carrier.name}")


def test_reimporting_this_shops_own_export_with_parcels_and_aftersales_changes_nothing(
    shop, shop_context
):
    # given: a shipped order and an order with an after-sale (not imported fields)
    ShipmentFactory(order=OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT))
    refund_request(OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT))
    content, _rows = export.render(
        export.filtered_orders(context=shop_context, params={}), export.columns_of(()),
        by="item", fmt="csv", masked=True,
    )  # fmt: skip
    # when
    report = import_orders(shop_id=shop.pk, source=content, file_name="a.csv", dry_run=False)
    # then
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2), report.error_list


ONE_ORDER = (
    "主订单编号,子订单编号,选购商品,商品数量,订单应付金额,订单提交时间,订单状态\n"
    "6912345678901234567,6912345678901234568,短袖,1,99.00,2026-11-01 12:00:00,已完成\n"
).encode()


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_an_import_colliding_with_a_concurrent_one_writes_nothing_and_says_why(shop):
    # given: a first import of the file has written it and not yet committed
    first_wrote, release_first = threading.Event(), threading.Event()
    outcome = {}

    def first():
        with transaction.atomic():
            import_orders(shop_id=shop.pk, source=ONE_ORDER, file_name="a.csv", dry_run=False)
            first_wrote.set()
            release_first.wait(10)
        connection.close()

    def second():
        try:
            import_orders(shop_id=shop.pk, source=ONE_ORDER, file_name="b.csv", dry_run=False)
        except ImportCollided as exc:
            outcome["refused"] = str(exc.message)
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    first_wrote.wait(10)
    # when: the second import of the same file waits for the first's keys, then it commits
    threads[1].start()
    for _ in range(100):
        if _waiting_on_a_lock():
            break
        time_module.sleep(0.05)
    release_first.set()
    for thread in threads:
        thread.join(20)
    # then: the order is written once, by the first; the second says why it wrote nothing
    assert "另一个导入正在写入同一批订单" in outcome["refused"]
    order = Order.objects.get(shop=shop)
    assert order.items.count() == 1
    assert [e.note for e in order.events.filter(kind=OrderEventKind.SYNC)] == ["导入文件：a.csv"]


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_new_items_another_import_committed_meanwhile_writes_nothing(
    shop, monkeypatch
):
    # given: the shop has the file's first order; the file brings a second, new one
    header, first_row = ONE_ORDER.decode().splitlines()
    second_row = first_row.replace("4567,", "4577,").replace("4568,", "4578,")
    import_orders(shop_id=shop.pk, source=ONE_ORDER, file_name="a.csv", dry_run=False)
    both = f"{header}\n{first_row}\n{second_row}\n".encode()
    only_second = f"{header}\n{second_row}\n".encode()
    real_insert = imports._insert_new

    def run_other():
        import_orders(shop_id=shop.pk, source=only_second, file_name="c.csv", dry_run=False)
        connection.close()

    def another_import_commits_first(*args):
        # Between this import's judging and its writes, on a connection of its own
        # (that import's own writes go straight through).
        monkeypatch.setattr(imports, "_insert_new", real_insert)
        thread = threading.Thread(target=run_other)
        thread.start()
        thread.join(20)
        return real_insert(*args)

    monkeypatch.setattr(imports, "_insert_new", another_import_commits_first)
    # when / then
    with pytest.raises(ImportCollided):
        import_orders(shop_id=shop.pk, source=both, file_name="b.csv", dry_run=False)
    assert Order.objects.filter(shop=shop).count() == 2
    assert not OrderEvent.objects.filter(note="导入文件：b.csv").exists()
