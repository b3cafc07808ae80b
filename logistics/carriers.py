"""The common carriers with 抖店's company codes, tracking-number patterns, an example
number and the names merchants type in spreadsheets. Seeded by migration 0002; after
that they are data an operator edits in /admin/."""

# code, name, pattern (full match, after removing spaces and upper-casing), example, aliases
CARRIERS = [
    (
        "shunfeng",
        "顺丰速运",
        r"^SF\d{12,15}$",
        "SF1234567890123",
        ["顺丰", "顺丰快递", "SF", "SF Express"],
    ),
    ("zhongtong", "中通快递", r"^7\d{11,14}$", "75123456789012", ["中通", "ZTO", "中通速递"]),
    ("yuantong", "圆通速递", r"^YT\d{13,16}$", "YT1234567890123", ["圆通", "圆通快递", "YTO"]),
    ("shentong", "申通快递", r"^77\d{10,13}$", "773123456789012", ["申通", "STO"]),
    ("yunda", "韵达快递", r"^\d{13,15}$", "4312345678901", ["韵达", "韵达速递", "YUNDA", "YD"]),
    (
        "jtexpress",
        "极兔速递",
        r"^JT\d{13}$",
        "JT1234567890123",
        ["极兔", "极兔快递", "J&T", "JTSD"],
    ),
    (
        "ems",
        "邮政EMS",
        r"^(?:[A-Z]{2}\d{9}[A-Z]{2}|1\d{12})$",
        "1123456789012",
        ["EMS", "中国邮政EMS", "邮政特快专递"],
    ),
    (
        "youzhengguonei",
        "邮政快递包裹",
        r"^9\d{12}$",
        "9812345678901",
        ["邮政包裹", "中国邮政", "邮政", "邮政国内小包"],
    ),
    (
        "jd",
        "京东快递",
        r"^JD[A-Z0-9]{13,15}$",
        "JDVA12345678901",
        ["京东", "京东物流", "JD", "JDL"],
    ),
    (
        "debangwuliu",
        "德邦快递",
        r"^(?:DPK\d{12,15}|\d{10})$",
        "DPK123456789012",
        ["德邦", "德邦物流", "DBL", "Deppon"],
    ),
    (
        "huitongkuaidi",
        "百世快递",
        r"^(?:A|B)?\d{12,14}$",
        "557012345678",
        ["百世", "百世汇通", "汇通", "BEST", "HTKY"],
    ),
    ("zhaijisong", "宅急送", r"^(?:ZJS)?\d{10,12}$", "ZJS123456789012", ["ZJS", "宅急送快递"]),
    ("fengwang", "丰网速运", r"^FW\d{12,15}$", "FW1234567890123", ["丰网", "FWX"]),
    ("danniao", "丹鸟", r"^(?:DN)?\d{12,15}$", "DN123456789012", ["丹鸟快递", "丹鸟物流"]),
]


def seed_carriers(Carrier) -> None:
    """Create any missing carrier of CARRIERS (`Carrier` may be a historical model);
    one that exists is left as the operator edited it."""
    for position, (code, name, pattern, example, aliases) in enumerate(CARRIERS):
        Carrier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "tracking_pattern": pattern,
                "tracking_example": example,
                "aliases": aliases,
                "sort_order": position * 10,
            },
        )
