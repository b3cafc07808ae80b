# The platform category tree exists in every installation (production included), so it
# is seeded here rather than by seed_demo.

from django.db import migrations

from products.categories import seed_categories


def seed(apps, schema_editor):
    seed_categories(apps.get_model("products", "Category"))


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
