"""Incremental sync: every change to an order, its items, after-sales or parcels is one
row in a change log, written by database triggers in the changing transaction, so no
write path (a service, a bulk UPDATE, a migration) can forget it.

The guarantee an ERP needs is that no change is ever missed, even when transactions
commit out of their start order. A row carries its transaction's id (xid8); a reader
returns rows in (xid, id) order, and only those below the oldest transaction still
running when it reads (`pg_snapshot_xmin` of its own snapshot). Every transaction below
that horizon has finished, so a row that appears later has a larger xid than any row
already returned and sorts after the reader's cursor. A long transaction holds the
feed back until it ends; it never lets a reader skip past it.

On SQLite (`make run`) writers are serialised by the database lock, so id order is
commit order: the xid is NULL and rows are read by id.
"""

import base64
import json
from dataclasses import dataclass

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

PAGE_MAX = 100

# The first xid a reader may not pass, from the snapshot `s.snap` of its statement
# (`WITH s AS (SELECT pg_current_snapshot() AS snap)`): the oldest other transaction in
# progress, or else the first xid not yet completed. Shared with the webhook outbox
# (orders.webhooks.outbox), which is read the same way.
SAFE_HORIZON_SQL = """COALESCE(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s.snap) AS x
     WHERE x IS DISTINCT FROM pg_current_xact_id_if_assigned()),
    GREATEST(pg_snapshot_xmax(s.snap)::text::bigint,
             pg_current_xact_id_if_assigned()::text::bigint + 1))"""

# Triggers per table: which order a written row belongs to. Statement-level triggers
# with transition tables, so a batch UPDATE of a thousand orders is one INSERT here.
_PG_SOURCES = {
    "orders_order": "SELECT DISTINCT shop_id, id FROM new_rows",
    "orders_orderitem": "SELECT DISTINCT shop_id, order_id FROM new_rows",
    "orders_aftersale": "SELECT DISTINCT shop_id, order_id FROM new_rows",
    "logistics_shipmentline": (
        "SELECT DISTINCT o.shop_id, n.order_id FROM new_rows n "
        "JOIN orders_order o ON o.id = n.order_id"
    ),
    "logistics_shipment": (
        "SELECT DISTINCT n.shop_id, l.order_id FROM new_rows n "
        "JOIN logistics_shipmentline l ON l.shipment_id = n.id"
    ),
}
_SQLITE_SOURCES = {
    "orders_order": ("NEW.shop_id", "NEW.id"),
    "orders_orderitem": ("NEW.shop_id", "NEW.order_id"),
    "orders_aftersale": ("NEW.shop_id", "NEW.order_id"),
}


def install_triggers_sql(vendor: str, tables: list[str]) -> list[str]:
    """The SQL that installs the change triggers of `tables` (used by the migrations of
    orders and logistics, each for its own tables)."""
    statements = []
    for table in tables:
        if vendor == "postgresql":
            function = f"{table}_log_change"
            statements.append(
                f"""
                CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO orders_orderchange (shop_id, order_id, xid, changed_at)
                  SELECT s.*, pg_current_xact_id()::text::bigint, now()
                  FROM ({_PG_SOURCES[table]}) AS s
                  ON CONFLICT (xid, order_id) DO NOTHING;
                  RETURN NULL;
                END $$;
                """
            )
            for event in ("INSERT", "UPDATE"):
                statements.append(
                    f"CREATE TRIGGER {table}_change_{event.lower()} AFTER {event} ON {table} "
                    f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION {function}();"
                )
        elif vendor == "sqlite" and table in _SQLITE_SOURCES:
            shop, order = _SQLITE_SOURCES[table]
            for event in ("INSERT", "UPDATE"):
                statements.append(
                    f"CREATE TRIGGER {table}_change_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN INSERT INTO orders_orderchange (shop_id, order_id, xid, changed_at) "
                    f"VALUES ({shop}, {order}, NULL, CURRENT_TIMESTAMP); END;"
                )
        elif vendor == "sqlite" and table == "logistics_shipmentline":
            statements.append(
                "CREATE TRIGGER logistics_shipmentline_change_insert AFTER INSERT ON "
                "logistics_shipmentline BEGIN INSERT INTO orders_orderchange "
                "(shop_id, order_id, xid, changed_at) SELECT shop_id, id, NULL, "
                "CURRENT_TIMESTAMP FROM orders_order WHERE id = NEW.order_id; END;"
            )
        elif vendor == "sqlite" and table == "logistics_shipment":
            statements.append(
                "CREATE TRIGGER logistics_shipment_change_update AFTER UPDATE ON "
                "logistics_shipment BEGIN INSERT INTO orders_orderchange "
                "(shop_id, order_id, xid, changed_at) SELECT DISTINCT NEW.shop_id, order_id, "
                "NULL, CURRENT_TIMESTAMP FROM logistics_shipmentline "
                "WHERE shipment_id = NEW.id; END;"
            )
    return statements


def install_triggers(tables: list[str]):
    """A RunPython operation body for a migration."""

    def run(apps, schema_editor):
        for statement in install_triggers_sql(schema_editor.connection.vendor, tables):
            schema_editor.execute(statement)

    return run


class OrderChange(models.Model):
    """One order changed in one transaction (written only by the triggers above)."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    # pg_current_xact_id() of the changing transaction; NULL on SQLite.
    xid = models.BigIntegerField(null=True)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("订单变更")
        verbose_name_plural = _("订单变更")
        constraints = [
            models.UniqueConstraint(fields=["xid", "order"], name="orderchange_xid_order_uniq")
        ]
        indexes = [models.Index(fields=["shop", "xid", "id"], name="orderchange_shop_seq_idx")]

    def __str__(self):
        return f"{self.order_id}@{self.xid}"


class BadChangeCursor(ValueError):
    pass


@dataclass
class ChangePage:
    changes: list[OrderChange]
    cursor: str
    has_more: bool


def _encode(xid: int, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([xid, pk]).encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        xid, pk = json.loads(raw)
        return int(xid), int(pk)
    except (ValueError, TypeError) as exc:
        raise BadChangeCursor(cursor) from exc


def changes_after(*, shop_id: int, cursor: str | None, size: int) -> ChangePage:
    """The shop's changes after `cursor` that no running transaction can precede, in
    (xid, id) order; `cursor` of the returned page continues from its last row (the same
    cursor back when there was nothing new). Raises BadChangeCursor."""
    size = max(1, min(size, PAGE_MAX))
    xid, pk = _decode(cursor) if cursor else (-1, 0)
    table = OrderChange._meta.db_table
    if connection.vendor == "postgresql":
        # One statement: its snapshot gives both the rows and the horizon they are safe
        # below — the oldest other transaction in progress, or else the first xid not yet
        # completed. The reader's own transaction (a reader that has written) is left out
        # of the horizon: what it wrote, it sees.
        sql = f"""
            WITH s AS (SELECT pg_current_snapshot() AS snap)
            SELECT id, order_id, xid FROM {table}, s
            WHERE shop_id = %s AND (xid, id) > (%s, %s) AND xid < {SAFE_HORIZON_SQL}
            ORDER BY xid, id LIMIT %s"""
        params = [shop_id, xid, pk, size + 1]
    else:
        sql = f"SELECT id, order_id, -1 FROM {table} WHERE shop_id = %s AND id > %s ORDER BY id LIMIT %s"
        params = [shop_id, pk, size + 1]
    with connection.cursor() as db:
        db.execute(sql, params)
        rows = db.fetchall()
    has_more = len(rows) > size
    rows = rows[:size]
    changes = [OrderChange(id=row[0], order_id=row[1], xid=row[2], shop_id=shop_id) for row in rows]
    if rows:
        xid, pk = rows[-1][2], rows[-1][0]
    return ChangePage(changes, _encode(xid, pk), has_more)
