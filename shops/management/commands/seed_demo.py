from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from shops.factories import DEMO_PASSWORD

# Each app that has demo data gives a `demo.seed(log)`; they run in dependency order.
SEEDING_APPS = ["shops", "products", "affiliates", "orders", "logistics"]


class Command(BaseCommand):
    help = "Load demo shops, people and data. Safe to run again: it adds nothing twice."

    @transaction.atomic
    def handle(self, *args, **options):
        logins = []
        for label in SEEDING_APPS:
            module_name = f"{apps.get_app_config(label).name}.demo"
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            logins.extend(module.seed(self.stdout.write) or [])
        self.stdout.write(self.style.SUCCESS("Demo logins (password: %s):" % DEMO_PASSWORD))
        for username, what in logins:
            self.stdout.write(f"  {username:<12} {what}")
