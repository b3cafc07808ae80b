"""python manage.py import_orders FILE --shop SLUG [--dry-run]

Prints each error (spreadsheet row, column, reason) and warning, then as its last line
one JSON object of counts; exits 1 when any row is in error (then nothing was written)."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError
from orders.files.imports import import_orders
from shops.models import Shop


class Command(BaseCommand):
    help = "Import an order file (抖店's export or xiaodian's) into a shop."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--shop", required=True, help="the shop's slug")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file, shop, dry_run, **options):
        target = Shop.objects.filter(slug=shop).first()
        if target is None:
            raise CommandError(f"no shop with slug {shop!r}")
        try:
            report = import_orders(
                shop_id=target.pk, source=file, file_name=file.rsplit("/", 1)[-1],
                dry_run=dry_run,
            )  # fmt: skip
        except (DomainError, OSError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        for issue in report.error_list:
            self.stderr.write(f"error: {issue}")
        for issue in report.warning_list:
            self.stderr.write(f"warning: {issue}")
        self.stdout.write(json.dumps(report.summary(), ensure_ascii=False))
        if report.errors:
            raise SystemExit(1)
