import django.db.models.deletion
from django.db import migrations, models

# The foreign keys' own indexes, replaced by the partial ones below.
FK_INDEXES = [
    ("orders_orderitem_product_id_afe4254a", "product_id"),
    ("orders_orderitem_sku_id_b2338e9b", "sku_id"),
]


class Migration(migrations.Migration):
    """An item's product and SKU links are indexed without the NULLs (see OrderItem)."""

    dependencies = [
        ("orders", "0014_orderitem_order_shop_key"),
        ("products", "0005_stockmove_text_to_codes"),
        ("shops", "0003_api_token"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="orderitem", name="orderitem_shop_product_idx"),
        # Only the indexes go: AlterField would rebuild the table on SQLite (`make run`),
        # which its change-log triggers do not survive.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    reverse_sql=f"CREATE INDEX {index} ON orders_orderitem ({column})",
                )
                for index, column in FK_INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="orderitem",
                    name="product",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="products.product",
                        verbose_name="商品",
                    ),
                ),
                migrations.AlterField(
                    model_name="orderitem",
                    name="sku",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="order_items",
                        to="products.sku",
                        verbose_name="SKU",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="orderitem",
            index=models.Index(
                condition=models.Q(("product__isnull", False)),
                fields=["shop", "product"],
                name="orderitem_shop_product_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="orderitem",
            index=models.Index(
                condition=models.Q(("product__isnull", False)),
                fields=["product"],
                name="orderitem_product_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="orderitem",
            index=models.Index(
                condition=models.Q(("sku__isnull", False)),
                fields=["sku"],
                name="orderitem_sku_idx",
            ),
        ),
    ]
