"""Demo catalogue for seed_demo: ~30 products per demo shop (idempotent)."""

import io
import json
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from shops.models import Membership, Shop
from shops.roles import Role
from shops.tenancy import resolve_context

from . import services
from .factories import ProductFactory, leaf_category
from .models import ProductStatus, Sku, StockMove, StockMoveReason

# The demo shops' products, as data: title, category, specs, first SKU's price in yuan, status.
CATALOGUE = Path(__file__).resolve().parent / "data" / "demo_catalogue.json"
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


def _seed_product(context, shop: Shop, number: int, entry: dict) -> bool:
    title, base_price = entry["title"], entry["price"]
    status = ProductStatus[entry.get("status", "ON_SALE")]
    product = ProductFactory(
        shop=shop,
        title=title,
        category=leaf_category(entry["category"]),
        description=f"{title}。品质保证，下单后按承诺时效发货。",
        status=ProductStatus.DRAFT,
        sku=None,
    )
    if product.skus.exists():
        return False
    skus = services.product_set_specs(
        context=context, product_id=product.pk, specs=list(entry["specs"].items())
    )
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
    if status != ProductStatus.DRAFT:
        services.product_publish(context=context, product_id=product.pk)
    if status == ProductStatus.OFF_SHELF:
        services.product_unpublish(context=context, product_id=product.pk)
    return True


def seed(log) -> list[tuple[str, str]]:
    created = 0
    catalogues = json.loads(CATALOGUE.read_text(encoding="utf-8"))["shops"]
    for slug, entries in catalogues.items():
        shop = Shop.objects.get(slug=slug)
        owner = Membership.objects.filter(shop=shop, role=Role.OWNER).order_by("pk").first()
        context = resolve_context(owner.user, requested=f"shop:{shop.pk}")
        for number, entry in enumerate(entries, start=1):
            created += _seed_product(context, shop, number, entry)
    log(f"products: {created} new products in {len(catalogues)} shops")
    return []
