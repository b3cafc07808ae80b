"""Seed the common carriers (logistics.carriers)."""

from django.db import migrations

from logistics.carriers import CARRIERS, seed_carriers


def seed(apps, schema_editor):
    seed_carriers(apps.get_model("logistics", "Carrier"))


def unseed(apps, schema_editor):
    Carrier = apps.get_model("logistics", "Carrier")
    Carrier.objects.filter(code__in=[c[0] for c in CARRIERS], shipments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
