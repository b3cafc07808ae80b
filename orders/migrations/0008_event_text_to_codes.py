"""Old timeline rows stored their text in Chinese; give them the code and parameters
that new rows get, so they read in the reader's language too. Best effort: a text no
pattern matches stays in `note`, as it was."""

import re

from django.db import migrations

# Labels as they were written (zh-hans), frozen here: this migration must not follow
# later renames.
PAY_METHODS = {"货到付款": 0, "微信": 1, "支付宝": 2, "抖音支付": 4, "先用后付": 5}
FLAGS = {"灰": 0, "紫": 1, "青": 2, "绿": 3, "橙": 4, "红": 5}
AFTERSALE_STATUSES = {
    "待商家同意": 6,
    "待买家退货": 7,
    "待商家收货": 11,
    "售后成功": 12,
    "商家拒绝": 27,
    "售后关闭": 28,
    "待商家发货": 8,
}
FIXED = {
    "提交订单": "placed",
    "支付已确认，订单进入备货": "accepted",
    "确认收货": "completed",
    "查看了收件人完整信息": "reveal",
    "售后退款后按商品数量更新": "refund_recount",
}
AFTERSALE_FIXED = {
    "同意，请买家退货": "agreed",
    "买家撤销": "withdrawn",
    "已收到退回商品，待发出换货": "received_exchange",
    "换货已发出": "exchange_shipped",
}
PAID = re.compile(r"^已支付 ¥(?P<amount>[\d.]+)（(?P<method>.+?)），支付单号 (?P<id>.+)$")
DEMO_PAID = re.compile(r"^(?P<method>.+?)支付 ¥(?P<amount>[\d.]+)，支付单号 (?P<id>.+)$")
SIGNED = re.compile(r"^买家已签收（(?P<at>.+)）$")
REMARK = re.compile(r"^(?:备注：(?P<remark>.*?))?(?:；?旗帜：(?P<flag>.))?$")
AFTERSALE = re.compile(r"^售后单 (?P<no>\d+)：(?P<status>[^（]+)(?:（(?P<detail>.*)）)?$")
ITEMS = re.compile(r"^(?P<via>.*?)\s*(?P<items>\S+ ×\d+(?:、\S+ ×\d+)*)$")
BATCH = re.compile(r"^批量发货（(?P<file>.+)）$")
PARCEL = re.compile(r"^(?P<carrier>.+) (?P<no>\S+)$")
REFUNDED = re.compile(r"^退款 ¥(?P<amount>[\d.]+)$")
EXCHANGE_PARCEL = re.compile(r"^换货已发出：(?P<carrier>.+) (?P<no>\S+)$")


def aftersale_said(text: str, to_status=None):
    """(code, params) of an after-sale event's text, or None."""
    if text in AFTERSALE_FIXED:
        return AFTERSALE_FIXED[text], {}
    if match := REFUNDED.match(text):
        return "refunded", match.groupdict()
    if match := EXCHANGE_PARCEL.match(text):
        return "exchange_parcel", match.groupdict()
    if to_status == 11 and (match := PARCEL.match(text)):
        return "return_parcel", match.groupdict()
    return None


def _via(text: str):
    if not text:
        return "", {}
    if match := BATCH.match(text):
        return "batch", match.groupdict()
    if match := PARCEL.match(text):
        return "parcel", match.groupdict()
    return None


def order_said(kind: str, text: str):
    """(code, params, note left) of an order event's text, or None."""
    if text in FIXED:
        return FIXED[text], {}, ""
    for pattern in (PAID, DEMO_PAID):
        match = pattern.match(text)
        if match and match["method"] in PAY_METHODS:
            params = match.groupdict()
            return "paid", {**params, "method": PAY_METHODS[params["method"]]}, ""
    if match := SIGNED.match(text):
        return "signed", match.groupdict(), ""
    if kind == "remark" and (match := REMARK.match(text)) and (match["remark"] or match["flag"]):
        flag = match["flag"]
        if flag is None or flag in FLAGS:
            remark = match["remark"]
            if remark == "（清空）":
                remark = ""
            return "remark", {"remark": remark, "flag": FLAGS.get(flag)}, ""
    if (match := AFTERSALE.match(text)) and match["status"] in AFTERSALE_STATUSES:
        detail = match["detail"] or ""
        said = aftersale_said(detail) if detail else None
        params = {"no": match["no"], "status": AFTERSALE_STATUSES[match["status"]]}
        params.update(detail_code=said[0] if said else "", detail=said[1] if said else {})
        return "aftersale", params, "" if said else detail
    if kind == "shipment" and (match := ITEMS.match(text)):
        via = _via(match["via"])
        if via is not None:
            items = match["items"].split("、")
            return "shipped", {"via_code": via[0], "via": via[1], "items": items}, ""
    return None


def forwards(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    AfterSaleEvent = apps.get_model("orders", "AfterSaleEvent")
    changed = []
    for event in OrderEvent.objects.filter(code="").exclude(note="").iterator(chunk_size=2000):
        said = order_said(event.kind, event.note)
        if said is not None:
            event.code, event.params, event.note = said
            changed.append(event)
        if len(changed) >= 2000:
            OrderEvent.objects.bulk_update(changed, ["code", "params", "note"])
            changed = []
    OrderEvent.objects.bulk_update(changed, ["code", "params", "note"])
    changed = []
    for event in AfterSaleEvent.objects.filter(code="").exclude(note="").iterator(chunk_size=2000):
        said = aftersale_said(event.note, event.to_status)
        if said is not None:
            event.code, event.params, event.note = *said, ""
            changed.append(event)
    AfterSaleEvent.objects.bulk_update(changed, ["code", "params", "note"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("orders", "0007_event_code_params")]

    # Backwards leaves the codes: new code renders them, and `note` was only cleared
    # where the code says the same.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
