"""The outbox: database triggers write a WebhookEvent in the transaction of the change,
so an event exists exactly when its change committed (a rolled-back change leaves none,
a stopped worker loses none), whatever wrote it — a service, a bulk UPDATE, an import.

PostgreSQL: statement-level triggers with transition tables; rows carry the writing
transaction's xid8 and are read in (xid, id) order below the safe horizon shared with
orders.changes, so a transaction that commits late is waited for, never skipped.
SQLite (`make run`): row-level triggers, xid NULL, read by id (writers are serialised).
"""

from dataclasses import dataclass

from django.db import connection

from ..changes import SAFE_HORIZON_SQL
from ..models import AfterSaleStatus, AfterSaleType, OrderStatus
from .models import EventType, WebhookEvent

TABLE = WebhookEvent._meta.db_table
COLUMNS = "shop_id, order_id, aftersale_id, type, xid, occurred_at"

# The order statuses that are events of their own.
ORDER_STATUS_EVENTS = {
    OrderStatus.PAID: EventType.ORDER_PAID,
    OrderStatus.PARTIALLY_SHIPPED: EventType.ORDER_PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED: EventType.ORDER_SHIPPED,
    OrderStatus.COMPLETED: EventType.ORDER_COMPLETED,
    OrderStatus.CANCELLED: EventType.ORDER_CANCELLED,
}


def _status_case(column: str) -> str:
    whens = " ".join(f"WHEN {int(s)} THEN '{e.value}'" for s, e in ORDER_STATUS_EVENTS.items())
    return f"CASE {column} {whens} END"


_STATUSES = ", ".join(str(int(s)) for s in ORDER_STATUS_EVENTS)
_SUCCEEDED = int(AfterSaleStatus.SUCCEEDED)
_EXCHANGE = int(AfterSaleType.EXCHANGE)  # 换货 succeeds without a refund


def _pg(xid: str = "pg_current_xact_id()::text::bigint") -> dict[tuple[str, str], list[str]]:
    """(table, event) -> the SELECTs (over new_rows n / old_rows o) whose rows are events."""
    return {
        ("orders_order", "INSERT"): [
            f"SELECT shop_id, id, NULL::bigint, '{EventType.ORDER_CREATED.value}', {xid}, now() "
            "FROM new_rows ORDER BY id"
        ],
        ("orders_order", "UPDATE"): [
            f"SELECT n.shop_id, n.id, NULL::bigint, {_status_case('n.status')}, {xid}, now() "
            f"FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE n.status <> o.status AND n.status IN ({_STATUSES}) ORDER BY n.id"
        ],
        ("orders_aftersale", "INSERT"): [
            f"SELECT shop_id, order_id, id, '{EventType.AFTERSALE_CREATED.value}', {xid}, now() "
            "FROM new_rows ORDER BY id"
        ],
        ("orders_aftersale", "UPDATE"): [
            f"SELECT n.shop_id, n.order_id, n.id, '{EventType.AFTERSALE_STATUS_CHANGED.value}', "
            f"{xid}, now() FROM new_rows n JOIN old_rows o ON o.id = n.id "
            "WHERE n.status <> o.status ORDER BY n.id",
            f"SELECT n.shop_id, n.order_id, n.id, '{EventType.AFTERSALE_REFUNDED.value}', "
            f"{xid}, now() FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE n.status = {_SUCCEEDED} AND o.status <> {_SUCCEEDED} "
            f"AND n.type <> {_EXCHANGE} ORDER BY n.id",
        ],
    }


def _sqlite() -> list[str]:
    insert = f"INSERT INTO {TABLE} ({COLUMNS}) VALUES"
    now = "CURRENT_TIMESTAMP"
    return [
        f"CREATE TRIGGER orders_order_webhook_insert AFTER INSERT ON orders_order BEGIN "
        f"{insert} (NEW.shop_id, NEW.id, NULL, '{EventType.ORDER_CREATED.value}', NULL, {now}); END;",
        f"CREATE TRIGGER orders_order_webhook_update AFTER UPDATE OF status ON orders_order "
        f"WHEN NEW.status <> OLD.status AND NEW.status IN ({_STATUSES}) BEGIN "
        f"{insert} (NEW.shop_id, NEW.id, NULL, {_status_case('NEW.status')}, NULL, {now}); END;",
        f"CREATE TRIGGER orders_aftersale_webhook_insert AFTER INSERT ON orders_aftersale BEGIN "
        f"{insert} (NEW.shop_id, NEW.order_id, NEW.id, '{EventType.AFTERSALE_CREATED.value}', "
        f"NULL, {now}); END;",
        f"CREATE TRIGGER orders_aftersale_webhook_update AFTER UPDATE OF status ON orders_aftersale "
        f"WHEN NEW.status <> OLD.status BEGIN "
        f"{insert} (NEW.shop_id, NEW.order_id, NEW.id, "
        f"'{EventType.AFTERSALE_STATUS_CHANGED.value}', NULL, {now}); "
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT NEW.shop_id, NEW.order_id, NEW.id, "
        f"'{EventType.AFTERSALE_REFUNDED.value}', NULL, {now} "
        f"WHERE NEW.status = {_SUCCEEDED} AND NEW.type <> {_EXCHANGE}; END;",
    ]


def install_triggers_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite()
    statements = []
    for (table, event), selects in _pg().items():
        name = f"{table}_webhook_{event.lower()}"
        body = "".join(f"INSERT INTO {TABLE} ({COLUMNS}) {select};\n" for select in selects)
        tables = "NEW TABLE AS new_rows" + (" OLD TABLE AS old_rows" if event == "UPDATE" else "")
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body}RETURN NULL;\nEND $$;",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();",
        ]
    return statements


def install_triggers(apps, schema_editor):
    """RunPython body of the migration that creates the outbox."""
    for statement in install_triggers_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    shop_id: int
    order_id: int
    type: str
    xid: int


def events_after(*, xid: int, event_id: int, size: int) -> list[OutboxRow]:
    """Events of every shop after (xid, event_id) that no running transaction can
    precede, in (xid, id) order."""
    if connection.vendor == "postgresql":
        sql = f"""
            WITH s AS (SELECT pg_current_snapshot() AS snap)
            SELECT id, shop_id, order_id, type, xid FROM {TABLE}, s
            WHERE (xid, id) > (%s, %s) AND xid < {SAFE_HORIZON_SQL}
            ORDER BY xid, id LIMIT %s"""
        params = [xid, event_id, size]
    else:
        sql = f"SELECT id, shop_id, order_id, type, -1 FROM {TABLE} WHERE id > %s ORDER BY id LIMIT %s"
        params = [event_id, size]
    with connection.cursor() as db:
        db.execute(sql, params)
        return [OutboxRow(*row) for row in db.fetchall()]
