"""python manage.py import_affiliate_report FILE --creator DOUYIN_ID --source taobao|jd [--dry-run]

Prints each row in error (spreadsheet row, column, reason), then as its last line one
JSON object {"rows", "new", "updated", "unchanged", "errors", "estimated_fen",
"settled_fen"}; exits 1 when any row is in error, and then nothing was written."""

import json

from django.core.management.base import BaseCommand, CommandError

from affiliates.ledger.report_import import ReportRejected, report_import, report_preview
from affiliates.ledger.reports import FORMATS
from core.exceptions import DomainError
from shops.models import Creator


class Command(BaseCommand):
    help = "Import a 淘宝联盟 or 京东联盟 order report into a creator's income."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--creator", required=True, help="the creator's 抖音号")
        parser.add_argument("--source", required=True, choices=sorted(FORMATS))
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file, creator, source, dry_run, **options):
        target = Creator.objects.filter(douyin_id=creator).first()
        if target is None:
            raise CommandError(f"no creator with 抖音号 {creator!r}")
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            if dry_run:
                outcome = report_preview(creator=target, source=source, content=content)
            else:
                outcome = report_import(creator=target, source=source, content=content)
        except ReportRejected as exc:
            outcome = exc.outcome
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        for error in outcome.errors:
            self.stderr.write(f"error: {error}")
        for note in outcome.notes:
            self.stderr.write(f"note: {note}")
        self.stdout.write(json.dumps(outcome.as_json()))
        if outcome.errors:
            raise SystemExit(1)
