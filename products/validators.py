from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_image_size(file) -> None:
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("图片不能超过 %(mb)s MB，当前 %(size).1f MB。")
            % {"mb": MAX_IMAGE_BYTES // (1024 * 1024), "size": file.size / (1024 * 1024)}
        )
