"""Uploaded product images, read without trusting them: the file size and the pixel
dimensions in the header are checked before anything is decoded (a 388 KB PNG can
claim 20000×20000 px and take gigabytes to decode), and thumbnails follow the EXIF
orientation the phone camera wrote."""

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .exceptions import ImageRejected
from .validators import ALLOWED_IMAGE_FORMATS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE

THUMBNAIL_SIZE = (240, 240)


def _refuse(message: str, field_message: str | None = None):
    return ImageRejected(message, fields={"image": [field_message or message]})


def _check_header(upload, image: Image.Image) -> None:
    if image.format not in ALLOWED_IMAGE_FORMATS:
        raise _refuse(
            _("主图：“%(name)s”是 %(format)s 格式，只支持 JPEG、PNG、WebP。")
            % {"name": upload.name, "format": image.format},
            _("只支持 JPEG、PNG、WebP。"),
        )
    width, height = image.size
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        message = _(
            "主图：图片为 %(w)s×%(h)s 像素，太大了；每边最多 %(side)s 像素，"
            "总共最多 %(mp)s 万像素。"
        ) % {"w": width, "h": height, "side": MAX_IMAGE_SIDE, "mp": MAX_IMAGE_PIXELS // 10_000}
        raise _refuse(message)


def image_read(upload) -> Image.Image:
    """The decoded upload, or ImageRejected naming the field and the reason."""
    if upload.size > MAX_IMAGE_BYTES:
        raise _refuse(
            _("主图：图片不能超过 %(mb)s MB，当前 %(size).1f MB。")
            % {"mb": MAX_IMAGE_BYTES // (1024 * 1024), "size": upload.size / (1024 * 1024)}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)  # the header only
        _check_header(upload, image)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except Image.DecompressionBombError as exc:
        # Pillow's own limit (set from MAX_IMAGE_PIXELS in ProductsConfig.ready)
        raise _refuse(
            _("主图：图片像素过多（超过 %(mp)s 万像素），请压缩后再上传。")
            % {"mp": MAX_IMAGE_PIXELS // 10_000}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(
            _("主图：“%(name)s”不是可识别的图片。") % {"name": upload.name},
            _("不是可识别的图片。"),
        ) from exc
    return image


def image_thumbnail(image: Image.Image) -> bytes:
    """A JPEG thumbnail turned the way the camera's EXIF orientation says."""
    thumb = ImageOps.exif_transpose(image).convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    buffer = io.BytesIO()
    thumb.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
