# The overlay link's token: added nullable, filled per row (a callable default would give
# every existing live the same value), then made unique and required.

import secrets

from django.db import migrations, models

import affiliates.models


def fill_tokens(apps, schema_editor):
    LiveSession = apps.get_model("affiliates", "LiveSession")
    for session in LiveSession.objects.filter(feed_token__isnull=True).only("pk"):
        session.feed_token = secrets.token_urlsafe(32)
        session.save(update_fields=["feed_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("affiliates", "0004_event_code_params"),
    ]

    operations = [
        migrations.AddField(
            model_name="livesession",
            name="feed_token",
            field=models.CharField(
                editable=False, max_length=43, null=True, verbose_name="实时订单链接令牌"
            ),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="livesession",
            name="feed_token",
            field=models.CharField(
                default=affiliates.models.new_feed_token,
                editable=False,
                max_length=43,
                unique=True,
                verbose_name="实时订单链接令牌",
            ),
        ),
    ]
