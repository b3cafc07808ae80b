"""Recompute the 数据 rollups from the orders: after a bulk load, or to check them."""

from django.core.management.base import BaseCommand
from django.db import transaction

from orders.stats.recompute import rebuild


class Command(BaseCommand):
    help = "Rebuild the 数据 rollups (orders.stats) from the orders, for some shops or all."

    def add_arguments(self, parser):
        parser.add_argument("--shop", type=int, action="append", dest="shops", help="shop id")

    def handle(self, *args, shops=None, **options):
        with transaction.atomic():
            written = rebuild(shop_ids=shops)
        self.stdout.write(", ".join(f"{label}: {rows} rows" for label, rows in written.items()))
