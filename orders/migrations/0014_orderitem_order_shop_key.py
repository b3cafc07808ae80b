import django.db.models.deletion
from django.db import migrations, models

KEY = "orderitem_order_shop_fk"


def _single_keys(schema_editor, model):
    """The names of the item's foreign keys on order_id and on shop_id."""
    return [
        name
        for column in ("order_id", "shop_id")
        for name in schema_editor._constraint_names(model, [column], foreign_key=True)
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        # SQLite (`make run`): its table keeps the two single keys; changing them would
        # rebuild the table, which the change-log triggers do not survive.
        schema_editor.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS order_id_shop_uniq ON orders_order (id, shop_id)"
        )
        return
    item = apps.get_model("orders", "OrderItem")
    schema_editor.execute(
        "ALTER TABLE orders_order ADD CONSTRAINT order_id_shop_uniq UNIQUE (id, shop_id)"
    )
    drops = ", ".join(f"DROP CONSTRAINT {name}" for name in _single_keys(schema_editor, item))
    schema_editor.execute(
        f"ALTER TABLE orders_orderitem {drops}, ADD CONSTRAINT {KEY} FOREIGN KEY "
        "(order_id, shop_id) REFERENCES orders_order (id, shop_id) DEFERRABLE INITIALLY DEFERRED"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS order_id_shop_uniq")
        return
    schema_editor.execute(
        f"ALTER TABLE orders_orderitem DROP CONSTRAINT {KEY}, "
        "ADD CONSTRAINT orders_orderitem_order_id_fe61a34d_fk_orders_order_id FOREIGN KEY "
        "(order_id) REFERENCES orders_order (id) DEFERRABLE INITIALLY DEFERRED, "
        "ADD CONSTRAINT orders_orderitem_shop_id_268d2151_fk_shops_shop_id FOREIGN KEY "
        "(shop_id) REFERENCES shops_shop (id) DEFERRABLE INITIALLY DEFERRED"
    )
    schema_editor.execute("ALTER TABLE orders_order DROP CONSTRAINT order_id_shop_uniq")


class Migration(migrations.Migration):
    """A 子订单 refers to its order and shop with one composite key (see OrderItem)."""

    dependencies = [("orders", "0013_drop_indexes_covered_by_shop_keys")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AddConstraint(
                    model_name="order",
                    constraint=models.UniqueConstraint(
                        fields=("id", "shop"), name="order_id_shop_uniq"
                    ),
                ),
                migrations.AlterField(
                    model_name="orderitem",
                    name="shop",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="shops.shop",
                        verbose_name="店铺",
                    ),
                ),
                migrations.AlterField(
                    model_name="orderitem",
                    name="order",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="orders.order",
                        verbose_name="主订单",
                    ),
                ),
            ],
        )
    ]
