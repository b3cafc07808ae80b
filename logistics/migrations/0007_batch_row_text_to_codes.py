"""Old batch-ship rows stored their message in Chinese; give them the code and parameters
new rows get, so they read in the reader's language too. Best effort: a message no
pattern matches (a refusal of the shipping service, several problems in one) stays in
`note`, as it was."""

import re

from django.db import migrations

# The messages as they were written (zh-hans), frozen here: this migration must not
# follow later rewording. Parameters in angle brackets are read back as text.
TEMPLATES = {
    "missing": "缺少<what>。",
    "duplicate_row": "与第 <n> 行重复（同一订单、子订单和快递单号），只按第 <n2> 行处理。",
    "item_no_as_order_no": (
        "<no> 是子订单编号：订单号一列请填主订单编号，子订单编号填在“子订单编号”列。"
    ),
    "order_not_found": "订单号 <no> 不存在，请核对是否为本店订单的主订单编号。",
    "carrier_unknown": "快递公司“<text>”无法识别，可填写名称、简称或编码，例如：<names>。",
    "tracking_no_missing": "请填写快递单号。",
    "tracking_no_too_long": "快递单号“<no>”太长。",
    "tracking_no_format": "快递单号“<no>”不符合<carrier>的单号格式，应类似 <expected>。",
    "number_taken": "<carrier>运单号 <no> 已被使用，不能用于发货，请核对快递公司和单号。",
    "item_not_in_order": "子订单编号 <item> 不属于订单 <no>。",
    "already_shipped": "订单 <no> 已用快递单号 <tracking> 发过货，未重复发货。",
    "order_status": "订单 <no> 当前为“<order_status>”，不能发货。",
    "aftersale_open": (
        "子订单 <item> 有进行中的售后单 <aftersale>（<type>，<aftersale_status>），"
        "处理完成前不能发货。<split>"
    ),
    "over_owed": "子订单 <item> 待发货 <left> 件，不能发 <want> 件。<planned><split>",
    "quantity_without_item": "填写了发货数量时，请同时填写子订单编号。",
    "planned_by_rows": "订单 <no> 的商品已由第 <rows> 行安排发货，这一行没有可发的数量。",
    "nothing_to_ship": "订单 <no> 没有待发货的商品。",
    "quantity_not_positive": "发货数量“<value>”不是正整数。",
    "tracking_scientific": (
        "快递单号“<value>”被 Excel 显示成了科学计数法，请把这一列设为“文本”格式。"
    ),
    "ready": "可发货：<carrier> <tracking>，<n> 件。",
    "shipped": "已发货：<carrier> <tracking>。",
}
SPLIT = "其他商品可填写子订单编号分别发货。"
PLANNED = re.compile(r"^（第 (?P<planned_row>\d+) 行已安排发货 (?P<planned>\d+) 件）$")
COLUMNS = {"订单号": "order_no", "快递公司": "carrier_text", "快递单号": "tracking_no"}
ORDER_STATUSES = {"待支付": 1, "已支付": 105, "备货中": 2, "部分发货": 101, "已发货": 3}
ORDER_STATUSES.update({"已取消": 4, "已完成": 5})
AFTERSALE_TYPES = {"退货退款": 0, "已发货仅退款": 1, "未发货仅退款": 2, "换货": 3}
AFTERSALE_STATUSES = {"待商家同意": 6, "待买家退货": 7, "待商家收货": 11, "待商家发货": 8}
NUMBERS = ("n", "left", "want")


GROUPS = {"split": f"(?P<split>(?:{re.escape(SPLIT)})?)"}


def _pattern(template: str):
    parts = re.split(r"<(\w+)>", template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else GROUPS.get(part, f"(?P<{part}>.*?)")
        for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


PATTERNS = {code: _pattern(template) for code, template in TEMPLATES.items()}


def _params(code: str, found: dict):
    """The parameters new code stores, or None when the text only looked alike."""
    params = dict(found)
    if code == "missing":
        names = params.pop("what").split("、")
        if not set(names) <= set(COLUMNS):
            return None
        return {"fields": [COLUMNS[name] for name in names]}
    if code == "duplicate_row":
        params.pop("n2")
    if code == "order_status":
        params["order_status"] = ORDER_STATUSES.get(params["order_status"])
    if code == "aftersale_open":
        params["type"] = AFTERSALE_TYPES.get(params["type"])
        params["aftersale_status"] = AFTERSALE_STATUSES.get(params["aftersale_status"])
    if code in ("aftersale_open", "over_owed"):
        split = params.pop("split")
        if split not in ("", SPLIT):
            return None
        if split:
            params["split"] = True
    if code == "over_owed":
        planned = params.pop("planned")
        if planned:
            match = PLANNED.match(planned)
            if match is None:
                return None
            params.update({name: int(value) for name, value in match.groupdict().items()})
    if code == "planned_by_rows":
        params["rows"] = [int(n) for n in params["rows"].split("、") if n.isdigit()]
    if code == "shipped":
        params["reused"] = []
    for name in NUMBERS:
        if name in params:
            if not str(params[name]).isdigit():
                return None
            params[name] = int(params[name])
    if None in params.values():
        return None
    return params


def said(message: str):
    """(code, params) of an old row's message, or None."""
    for code, pattern in PATTERNS.items():
        match = pattern.match(message)
        if match is not None:
            params = _params(code, match.groupdict())
            if params is not None:
                return code, params
    return None


def forwards(apps, schema_editor):
    ShipBatchRow = apps.get_model("logistics", "ShipBatchRow")
    changed = []
    rows = ShipBatchRow.objects.filter(code="").exclude(note="")
    for row in rows.only("id", "note").iterator(chunk_size=2000):
        found = said(row.note)
        if found is not None:
            row.code, row.params = found
            row.note = ""
            changed.append(row)
        if len(changed) >= 2000:
            ShipBatchRow.objects.bulk_update(changed, ["code", "params", "note"])
            changed = []
    ShipBatchRow.objects.bulk_update(changed, ["code", "params", "note"])


class Migration(migrations.Migration):
    dependencies = [("logistics", "0006_batch_row_codes")]

    # Backwards leaves the codes: new code renders them, and `note` was only cleared
    # where the code says the same.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
