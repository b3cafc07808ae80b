from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from shops.factories import DEMO_PASSWORD

# Each app that has demo data gives a `demo.seed(log)`; they run in dependency order.
# A dotted entry names a package of an app whose demo needs a later app's (money follows
# orders; logistics then gives every shipped item, the ledger's too, its parcel).
SEEDING_APPS = ["shops", "products", "affiliates", "orders", "affiliates.ledger", "logistics"]


class Command(BaseCommand):
    help = "Load demo shops, people and data. Safe to run again: it adds nothing twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = self._seed()
        # After the commit, so the logins are the last thing printed.
        self.stdout.write(self.style.SUCCESS("Demo logins (password: %s):" % DEMO_PASSWORD))
        for username, what in logins:
            self.stdout.write(f"  {username:<12} {what}")

    def _seed(self) -> list[tuple[str, str]]:
        logins = []
        for label in SEEDING_APPS:
            package = label if "." in label else apps.get_app_config(label).name
            module_name = f"{package}.demo"
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            logins.extend(module.seed(self.stdout.write) or [])
        return logins
