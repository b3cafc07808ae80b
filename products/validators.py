from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Decoding costs width × height × 4 bytes whatever the file size: 25 MP is ~100 MB.
MAX_IMAGE_SIDE = 8000
MAX_IMAGE_PIXELS = 25_000_000
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_image_size(file) -> None:
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("图片不能超过 %(mb)s MB，当前 %(size).1f MB。")
            % {"mb": MAX_IMAGE_BYTES // (1024 * 1024), "size": file.size / (1024 * 1024)}
        )
