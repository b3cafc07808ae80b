"""Demo catalogue for seed_demo: ~30 products per demo shop (idempotent)."""

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from shops.models import Membership, Shop
from shops.roles import Role
from shops.tenancy import resolve_context

from . import services
from .factories import ProductFactory, leaf_category
from .models import ProductStatus, Sku, StockMove, StockMoveReason

DRAFT, OFF = ProductStatus.DRAFT, ProductStatus.OFF_SHELF
SIZES = ["S", "M", "L", "XL"]
SHOE_SIZES = ["36", "37", "38", "39", "40"]

# title, category, specs, price in yuan of the first SKU, status (None = 在售)
CATALOGUES = {
    "chaoliu": [
        (
            "纯棉圆领短袖T恤 宽松百搭",
            "服饰内衣/女装",
            [("颜色", ["白色", "黑色", "雾霾蓝"]), ("尺码", SIZES)],
            "59.00",
            None,
        ),
        (
            "法式碎花雪纺连衣裙 收腰显瘦",
            "服饰内衣/女装",
            [("颜色", ["碎花蓝", "碎花粉"]), ("尺码", SIZES)],
            "169.00",
            None,
        ),
        (
            "高腰直筒牛仔裤 垂感拖地",
            "服饰内衣/女装",
            [("颜色", ["浅蓝", "深蓝"]), ("尺码", ["25", "26", "27", "28", "29"])],
            "139.00",
            None,
        ),
        (
            "冰丝防晒开衫 UPF50+",
            "服饰内衣/女装",
            [("颜色", ["白色", "浅粉", "浅紫"]), ("尺码", ["均码"])],
            "79.00",
            None,
        ),
        (
            "针织开衫 慵懒风短款",
            "服饰内衣/女装",
            [("颜色", ["燕麦色", "奶白"]), ("尺码", ["S", "M", "L"])],
            "129.00",
            None,
        ),
        (
            "小香风粗花呢外套",
            "服饰内衣/女装",
            [("颜色", ["黑白格", "粉白格"]), ("尺码", ["S", "M", "L"])],
            "299.00",
            OFF,
        ),
        (
            "男士重磅纯棉卫衣 连帽加绒",
            "服饰内衣/男装",
            [("颜色", ["黑色", "灰色", "藏青"]), ("尺码", ["M", "L", "XL", "XXL"])],
            "159.00",
            None,
        ),
        (
            "男士商务休闲衬衫 免烫",
            "服饰内衣/男装",
            [("颜色", ["白色", "浅蓝"]), ("尺码", ["39", "40", "41", "42"])],
            "119.00",
            None,
        ),
        (
            "男士工装束脚裤",
            "服饰内衣/男装",
            [("颜色", ["军绿", "卡其", "黑色"]), ("尺码", ["M", "L", "XL"])],
            "99.00",
            None,
        ),
        (
            "轻薄羽绒服 90白鸭绒",
            "服饰内衣/男装",
            [("颜色", ["黑色", "藏青"]), ("尺码", ["M", "L", "XL"])],
            "399.00",
            DRAFT,
        ),
        (
            "无痕内衣 无钢圈聚拢",
            "服饰内衣/内衣",
            [("颜色", ["肤色", "黑色", "豆沙"]), ("尺码", ["S", "M", "L"])],
            "69.00",
            None,
        ),
        (
            "莫代尔家居服套装",
            "服饰内衣/内衣",
            [("颜色", ["灰粉", "雾蓝"]), ("尺码", ["M", "L", "XL"])],
            "89.00",
            None,
        ),
        (
            "儿童纯棉印花T恤",
            "服饰内衣/童装",
            [("颜色", ["恐龙绿", "小熊黄"]), ("尺码", ["110", "120", "130", "140"])],
            "45.00",
            None,
        ),
        (
            "真丝印花方巾 70cm",
            "服饰内衣/服饰配件",
            [("花色", ["复古蓝", "酒红", "墨绿"])],
            "128.00",
            None,
        ),
        ("复古玳瑁墨镜 防紫外线", "服饰内衣/服饰配件", [("颜色", ["玳瑁", "纯黑"])], "79.00", None),
        (
            "百搭老爹鞋 厚底增高",
            "鞋靴箱包/女鞋",
            [("颜色", ["米白", "黑白"]), ("尺码", SHOE_SIZES)],
            "189.00",
            None,
        ),
        (
            "法式玛丽珍单鞋",
            "鞋靴箱包/女鞋",
            [("颜色", ["黑色", "奶油白"]), ("尺码", SHOE_SIZES)],
            "159.00",
            None,
        ),
        (
            "透气飞织跑步鞋",
            "鞋靴箱包/运动鞋",
            [("颜色", ["灰蓝", "黑色"]), ("尺码", ["39", "40", "41", "42", "43"])],
            "219.00",
            None,
        ),
        ("帆布托特包 大容量", "鞋靴箱包/箱包", [("颜色", ["米色", "黑色"])], "59.00", None),
        ("真皮斜挎小方包", "鞋靴箱包/箱包", [("颜色", ["焦糖", "黑色", "奶白"])], "259.00", None),
        (
            "20寸登机箱 万向轮",
            "鞋靴箱包/功能箱包",
            [("颜色", ["银色", "雾蓝"]), ("尺寸", ["20寸", "24寸"])],
            "329.00",
            None,
        ),
        (
            "瑜伽服套装 高弹速干",
            "运动户外/运动服饰",
            [("颜色", ["黑色", "雾粉"]), ("尺码", ["S", "M", "L"])],
            "149.00",
            None,
        ),
        (
            "速干运动短裤 男款",
            "运动户外/运动服饰",
            [("颜色", ["黑色", "灰色"]), ("尺码", ["M", "L", "XL"])],
            "69.00",
            None,
        ),
        (
            "冲锋衣 三合一可拆卸",
            "运动户外/户外装备",
            [("颜色", ["黑色", "墨绿"]), ("尺码", ["M", "L", "XL"])],
            "499.00",
            DRAFT,
        ),
        ("925银锁骨链 简约", "珠宝饰品/时尚饰品", [], "89.00", None),
        ("珍珠耳钉 巴洛克", "珠宝饰品/时尚饰品", [("款式", ["单颗", "流苏"])], "49.00", None),
        ("羊毛混纺围巾 格纹", "服饰内衣/服饰配件", [("颜色", ["驼色格", "红色格"])], "99.00", OFF),
        (
            "棒球帽 刺绣字母",
            "服饰内衣/服饰配件",
            [("颜色", ["黑色", "白色", "卡其"])],
            "39.00",
            None,
        ),
        ("船袜 5双装 纯棉", "服饰内衣/内衣", [("颜色", ["混色", "全黑", "全白"])], "29.90", None),
        (
            "加厚珊瑚绒睡袍",
            "服饰内衣/内衣",
            [("颜色", ["奶咖", "雾粉"]), ("尺码", ["M", "L", "XL"])],
            "119.00",
            None,
        ),
    ],
    "xianguo": [
        (
            "海南金煌芒果 新鲜现摘",
            "食品饮料/新鲜水果",
            [("规格", ["3斤装", "5斤装", "9斤装"])],
            "29.90",
            None,
        ),
        ("四川丑橘 不知火", "食品饮料/新鲜水果", [("规格", ["5斤装", "9斤装"])], "35.80", None),
        (
            "阳光玫瑰青提",
            "食品饮料/新鲜水果",
            [("规格", ["2斤装", "4斤装"]), ("等级", ["精品", "特级"])],
            "49.90",
            None,
        ),
        (
            "烟台红富士苹果",
            "食品饮料/新鲜水果",
            [("规格", ["5斤装", "10斤装"]), ("果径", ["75mm", "80mm"])],
            "32.80",
            None,
        ),
        ("赣南脐橙 当季", "食品饮料/新鲜水果", [("规格", ["5斤装", "10斤装"])], "29.90", None),
        ("智利车厘子 JJ级", "食品饮料/新鲜水果", [("规格", ["2斤装", "5斤装"])], "139.00", None),
        ("云南蓝莓 大果", "食品饮料/新鲜水果", [("规格", ["4盒装", "8盒装"])], "59.90", None),
        (
            "新疆阿克苏冰糖心苹果",
            "食品饮料/新鲜水果",
            [("规格", ["5斤装", "10斤装"])],
            "39.90",
            OFF,
        ),
        ("广西沃柑", "食品饮料/新鲜水果", [("规格", ["5斤装", "9斤装"])], "25.80", None),
        (
            "泰国金枕榴莲 整果",
            "食品饮料/新鲜水果",
            [("重量", ["3-4斤", "4-5斤", "5-6斤"])],
            "169.00",
            None,
        ),
        ("每日坚果 30袋装", "食品饮料/休闲零食", [("规格", ["15袋", "30袋"])], "69.90", None),
        (
            "手撕牛肉干 内蒙古风干",
            "食品饮料/休闲零食",
            [("口味", ["原味", "香辣"]), ("规格", ["250g", "500g"])],
            "59.00",
            None,
        ),
        ("芒果干 无添加", "食品饮料/休闲零食", [("规格", ["100g×3", "100g×6"])], "29.90", None),
        ("海苔脆片 儿童零食", "食品饮料/休闲零食", [("口味", ["原味", "芝麻"])], "19.90", None),
        ("低糖全麦面包 整箱", "食品饮料/休闲零食", [("规格", ["1kg", "2kg"])], "35.90", None),
        ("辣条大礼包", "食品饮料/休闲零食", [], "25.00", DRAFT),
        ("明前龙井 2025新茶", "食品饮料/茶叶", [("规格", ["100g", "250g"])], "168.00", None),
        ("云南普洱熟茶 饼茶", "食品饮料/茶叶", [("规格", ["357g"])], "98.00", None),
        ("桂花乌龙冷泡茶 袋泡", "食品饮料/茶叶", [("规格", ["10包", "30包"])], "39.90", None),
        ("NFC鲜榨橙汁", "食品饮料/饮料冲调", [("规格", ["250ml×6", "250ml×12"])], "49.90", None),
        (
            "冻干咖啡粉 速溶",
            "食品饮料/饮料冲调",
            [("口味", ["美式", "拿铁"]), ("规格", ["12颗", "24颗"])],
            "39.90",
            None,
        ),
        ("椰子水 100%纯椰", "食品饮料/饮料冲调", [("规格", ["330ml×12"])], "59.00", None),
        ("五常大米 稻花香", "食品饮料/粮油调味", [("规格", ["5kg", "10kg"])], "69.90", None),
        ("特级初榨橄榄油", "食品饮料/粮油调味", [("规格", ["500ml", "1L"])], "79.00", None),
        ("零添加生抽酱油", "食品饮料/粮油调味", [("规格", ["500ml×2"])], "29.90", None),
        ("内蒙古羔羊肉卷", "食品饮料/生鲜肉禽", [("规格", ["500g", "1kg"])], "59.90", None),
        ("黑猪五花肉 整条", "食品饮料/生鲜肉禽", [("规格", ["1斤", "2斤"])], "45.90", None),
        (
            "鲜活大闸蟹 礼盒",
            "食品饮料/生鲜肉禽",
            [("规格", ["4只装", "8只装"]), ("重量", ["公3.5两母2.5两", "公4两母3两"])],
            "199.00",
            DRAFT,
        ),
        ("土鸡蛋 30枚", "食品饮料/生鲜肉禽", [], "36.90", None),
        ("云南褚橙 礼盒", "食品饮料/新鲜水果", [("规格", ["5斤装"])], "88.00", OFF),
    ],
}
# Left with only a handful in stock so the 库存 ≤ N filter has something to show.
LOW_STOCK = {"法式玛丽珍单鞋", "智利车厘子 JJ级"}
IMAGE_COUNT = 5  # the first products of each shop get generated main images
PALETTE = [(255, 107, 107), (78, 205, 196), (255, 209, 102), (108, 92, 231), (0, 184, 148)]


def _number(*parts) -> int:
    """Stable pseudo-random figure, so seeding twice gives the same catalogue."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def _image(title: str, n: int) -> SimpleUploadedFile:
    color = PALETTE[_number(title, n) % len(PALETTE)]
    picture = Image.new("RGB", (480, 480), color)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((120, 120, 360, 360), fill=(255, 255, 255))
    draw.rectangle((200, 200, 280, 280), fill=color)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{n}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _price_fen(base: str, index: int) -> int:
    # Bigger sizes/packs cost a little more, as shops usually price them.
    return int(round(float(base) * 100)) + index * 1000 * (float(base) >= 50)


def _seed_product(context, shop: Shop, number: int, entry) -> bool:
    title, category, specs, base_price, status = entry
    product = ProductFactory(
        shop=shop,
        title=title,
        category=leaf_category(category),
        description=f"{title}。品质保证，下单后按承诺时效发货。",
        status=ProductStatus.DRAFT,
        sku=None,
    )
    if product.skus.exists():
        return False
    skus = services.product_set_specs(context=context, product_id=product.pk, specs=specs)
    moves = []
    for index, sku in enumerate(skus):
        sku.price_fen = _price_fen(base_price, index % 3)
        sku.stock = (
            (_number(title, sku.spec_text) % 5)
            if title in LOW_STOCK
            else 20 + _number(title, sku.spec_text) % 180
        )
        sku.outer_code = f"{shop.slug[:2].upper()}{number:03d}-{index + 1:02d}"
        moves.append(
            StockMove(
                sku=sku,
                reason=StockMoveReason.IMPORT,
                delta=sku.stock,
                balance_after=sku.stock,
                note="初始库存",
            )
        )
    Sku.objects.bulk_update(skus, ["price_fen", "stock", "outer_code"])
    StockMove.objects.bulk_create(moves)
    if number <= IMAGE_COUNT:
        for n in range(2):
            services.product_image_add(
                context=context, product_id=product.pk, upload=_image(title, n)
            )
    if status != DRAFT:
        services.product_publish(context=context, product_id=product.pk)
    if status == OFF:
        services.product_unpublish(context=context, product_id=product.pk)
    return True


def seed(log) -> list[tuple[str, str]]:
    created = 0
    for slug, entries in CATALOGUES.items():
        shop = Shop.objects.get(slug=slug)
        owner = Membership.objects.filter(shop=shop, role=Role.OWNER).order_by("pk").first()
        context = resolve_context(owner.user, requested=f"shop:{shop.pk}")
        for number, entry in enumerate(entries, start=1):
            created += _seed_product(context, shop, number, entry)
    log(f"products: {created} new products in {len(CATALOGUES)} shops")
    return []
