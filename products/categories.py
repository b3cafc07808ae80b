"""The platform category tree every installation starts with (production included).

Seeded by migration 0002; `seed_categories` is also what tests use to put the tree back
after a transactional test flushes the tables. Operators refine the tree in /admin/.
"""

CATEGORY_TREE = [
    ("服饰内衣", ["女装", "男装", "内衣", "童装", "服饰配件"]),
    ("鞋靴箱包", ["女鞋", "男鞋", "运动鞋", "箱包", "功能箱包"]),
    ("美妆个护", ["面部护肤", "彩妆", "香水", "洗发护发", "身体护理", "口腔护理"]),
    ("食品饮料", ["新鲜水果", "休闲零食", "粮油调味", "茶叶", "饮料冲调", "生鲜肉禽"]),
    ("数码家电", ["手机", "耳机音箱", "电脑办公", "生活电器", "厨房电器", "智能设备"]),
    ("母婴玩具", ["奶粉", "尿裤湿巾", "喂养用品", "婴童服饰", "玩具"]),
    ("家居日用", ["床上用品", "收纳整理", "厨具餐具", "清洁用品", "家装软饰"]),
    ("运动户外", ["运动服饰", "健身器材", "户外装备", "骑行运动", "垂钓用品"]),
    ("图书文具", ["童书", "文学小说", "教材教辅", "文具", "办公用品"]),
    ("珠宝饰品", ["时尚饰品", "黄金", "手表"]),
    ("宠物用品", ["猫粮狗粮", "宠物玩具", "宠物清洁"]),
]


def seed_categories(Category) -> None:
    """Create any missing category of CATEGORY_TREE (`Category` may be a historical model)."""
    for top_order, (top_name, children) in enumerate(CATEGORY_TREE, start=1):
        top, _ = Category.objects.get_or_create(
            parent=None, name=top_name, defaults={"sort_order": top_order}
        )
        for order, name in enumerate(children, start=1):
            Category.objects.get_or_create(parent=top, name=name, defaults={"sort_order": order})
