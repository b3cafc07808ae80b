"""Image uploads are checked from the header before decoding (decompression bombs),
and thumbnails follow the EXIF orientation."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from products import services
from products.exceptions import ImageRejected
from products.factories import ProductFactory
from products.models import ProductImage

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> SimpleUploadedFile:
    """A few hundred bytes whose header claims width × height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    content = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", content, content_type="image/png")


@pytest.mark.parametrize(
    ("width", "height"),
    [(20000, 20000), (13000, 13000), (6000, 6000), (9000, 100)],
)
def test_huge_dimensions_are_refused_before_decoding(shop_context, owner, width, height):
    # given
    product = ProductFactory(shop=owner.shop)
    upload = _png_claiming(width, height)
    assert upload.size < 2000
    # when
    with pytest.raises(ImageRejected) as caught:
        services.product_image_add(context=shop_context, product_id=product.pk, upload=upload)
    # then
    assert caught.value.message.startswith("主图：")
    assert "像素" in caught.value.message
    assert list(caught.value.fields) == ["image"]
    assert not ProductImage.objects.exists()


def test_the_named_dimensions_are_in_the_message(shop_context, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    with pytest.raises(ImageRejected) as caught:
        services.product_image_add(
            context=shop_context, product_id=product.pk, upload=_png_claiming(9000, 100)
        )
    # then
    assert "9000×100" in caught.value.message


def test_bomb_upload_in_the_console_is_a_message_not_a_500(as_member, owner):
    # given
    product = ProductFactory(shop=owner.shop)
    # when
    response = as_member(owner).post(
        reverse("products:image_upload", args=[product.pk]),
        {"image": _png_claiming(20000, 20000)},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert "主图：图片像素过多" in response.content.decode()
    assert not ProductImage.objects.exists()


def test_file_over_the_size_limit_is_refused_before_opening(shop_context, owner, monkeypatch):
    # given
    product = ProductFactory(shop=owner.shop)
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 1))
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("opened"))
    # when
    with pytest.raises(ImageRejected) as caught:
        services.product_image_add(context=shop_context, product_id=product.pk, upload=upload)
    # then
    assert "主图：图片不能超过 5 MB" in caught.value.message


def test_pillow_pixel_limit_is_capped_at_startup():
    # given / when: ProductsConfig.ready ran
    # then
    assert Image.MAX_IMAGE_PIXELS == 25_000_000


def test_thumbnail_follows_exif_orientation(shop_context, owner):
    # given: a landscape JPEG that the camera marked "rotate 90° clockwise" (orientation 6)
    product = ProductFactory(shop=owner.shop)
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (10, 120, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")
    # when
    image = services.product_image_add(context=shop_context, product_id=product.pk, upload=upload)
    # then: shown upright, i.e. portrait
    with Image.open(image.thumbnail.path) as thumb:
        assert thumb.size == (120, 240)
