"""What the console benchmarks share, imported once Django is set up: their --orders,
the PostgreSQL they need, and test clients signed in to the console."""

import argparse
import sys

from django.db import connection
from django.test import Client

from shops.tenancy import SESSION_KEY


def orders_argument(doc: str) -> int:
    """The --orders to fill the shop with (1,000,000 unless told), the bench's `doc` as help."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    return parser.parse_args().orders


def on_postgresql() -> bool:
    """True, or False once it has said that DATABASE_URL must point at PostgreSQL."""
    if connection.vendor == "postgresql":
        return True
    print("DATABASE_URL must point at PostgreSQL", file=sys.stderr)
    return False


def console_client(user, acting: str) -> Client:
    """A test client signed in as `user`, acting as `acting` ("shop:<id>" or a creator)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = acting
    session.save()
    return client
