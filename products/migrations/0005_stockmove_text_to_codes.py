"""Old stock moves stored the system's notes in Chinese; give them codes so they read
in the reader's language. A person's own note stays as typed."""

import re

from django.db import migrations

FIXED = {"编辑商品时设置库存": "product_edit", "导入商品表格": "import"}
PATTERNS = [
    (re.compile(r"^订单 (?P<no>\d+)$"), "order"),
    (re.compile(r"^订单 (?P<no>\d+) 取消$"), "order_cancelled"),
    (re.compile(r"^售后单 (?P<no>\d+) 退款$"), "aftersale_refund"),
]


def said(text: str):
    if text in FIXED:
        return FIXED[text], {}
    for pattern, code in PATTERNS:
        if match := pattern.match(text):
            return code, match.groupdict()
    return None


def forwards(apps, schema_editor):
    StockMove = apps.get_model("products", "StockMove")
    changed = []
    moves = StockMove.objects.filter(code="").exclude(note="")
    for move in moves.iterator(chunk_size=2000):
        found = said(move.note)
        if found is not None:
            move.code, move.params, move.note = *found, ""
            changed.append(move)
    StockMove.objects.bulk_update(changed, ["code", "params", "note"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("products", "0004_event_code_params")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
