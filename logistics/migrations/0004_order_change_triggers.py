from django.db import migrations

from orders.changes import install_triggers


class Migration(migrations.Migration):
    """Parcels are part of the order an ERP syncs: their writes log an order change."""

    dependencies = [
        ("logistics", "0003_actor_blank"),
        ("orders", "0005_order_changes"),
    ]

    operations = [
        migrations.RunPython(
            install_triggers(["logistics_shipmentline", "logistics_shipment"]),
            migrations.RunPython.noop,
        ),
    ]
