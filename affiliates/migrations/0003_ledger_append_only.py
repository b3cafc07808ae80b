"""The database refuses to change or remove a ledger entry: the ledger is append-only,
whatever code (or person at a SQL prompt) tries. PostgreSQL in production and tests;
SQLite (the local `make run` default) gets the same rule in its own dialect."""

from django.db import migrations

POSTGRESQL = (
    """
    CREATE FUNCTION affiliates_ledgerentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'affiliates_ledgerentry is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER affiliates_ledgerentry_append_only
        BEFORE UPDATE OR DELETE ON affiliates_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION affiliates_ledgerentry_append_only();
    """,
)
POSTGRESQL_BACK = (
    "DROP TRIGGER IF EXISTS affiliates_ledgerentry_append_only ON affiliates_ledgerentry;",
    "DROP FUNCTION IF EXISTS affiliates_ledgerentry_append_only();",
)
SQLITE = tuple(
    f"""
    CREATE TRIGGER affiliates_ledgerentry_no_{op.lower()} BEFORE {op} ON affiliates_ledgerentry
    BEGIN SELECT RAISE(ABORT, 'affiliates_ledgerentry is append-only: {op} refused'); END;
    """
    for op in ("UPDATE", "DELETE")
)
SQLITE_BACK = tuple(
    f"DROP TRIGGER IF EXISTS affiliates_ledgerentry_no_{op};" for op in ("update", "delete")
)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("affiliates", "0002_money_ledger")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_BACK, "sqlite": SQLITE_BACK}),
        )
    ]
