"""python manage.py export_orders --shop SLUG [--status CODE] [--from DATE --to DATE]
[--by order|item] [--format csv|xlsx] -o FILE

The same file as the console's 订单导出 (receivers masked), streamed to FILE."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.exceptions import DomainError, require_postgresql
from orders.files import export
from shops.models import Membership
from shops.roles import Role
from shops.tenancy import ConsoleContext, ContextKind


class Command(BaseCommand):
    help = "Export a shop's orders as 抖店's order file."

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="the shop's slug")
        parser.add_argument("--status", type=int, action="append", help="抖店 status code")
        parser.add_argument("--from", dest="date_from", help="下单日期从 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="下单日期至 YYYY-MM-DD")
        parser.add_argument("--by", choices=["item", "order"], default="item")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, shop, status, date_from, date_to, by, format, output, **options):
        owner = (
            Membership.objects.filter(shop__slug=shop, role=Role.OWNER)
            .select_related("shop")
            .first()
        )
        if owner is None:
            raise CommandError(f"no shop with slug {shop!r} (or it has no owner)")
        context = ConsoleContext(ContextKind.SHOP, owner, None, [owner])
        params = {"status": [str(s) for s in status or []]}
        params.update({"created_from": date_from, "created_to": date_to})
        orders = export.filtered_orders(context=context, params=params)
        columns = export.columns_of(())
        try:
            require_postgresql(_("订单导出"))  # before FILE is created
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        with open(output, "wb") as out:
            rows = export.WRITERS[format](out, orders, columns, by=by, masked=True)
        self.stdout.write(f"{rows} rows → {output}")
