"""A product's main images (主图) and their thumbnails."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404

from ..exceptions import ImageRejected
from ..images import image_read, image_thumbnail
from ..models import MAX_IMAGES, ProductImage
from .locks import lock_product


@transaction.atomic
def product_image_add(*, context: ConsoleContext, product_id: int, upload) -> ProductImage:
    """Add a main image (at most MAX_IMAGES) and its thumbnail."""
    context.require_perm(Perm.PRODUCT_EDIT)
    product = lock_product(context, product_id)
    count = product.images.count()
    if count >= MAX_IMAGES:
        raise ImageRejected(
            _("主图最多 %(n)s 张。") % {"n": MAX_IMAGES},
            fields={"image": [_("主图已满 %(n)s 张。") % {"n": MAX_IMAGES}]},
        )
    picture = image_read(upload)
    image = ProductImage(product=product, image=upload, position=count)
    try:
        image.full_clean(exclude=["product", "thumbnail"])
    except ValidationError as exc:
        messages = [m for msgs in exc.message_dict.values() for m in msgs]
        raise ImageRejected(" ".join(messages), fields={"image": messages}) from exc
    thumbnail = image_thumbnail(picture)
    upload.seek(0)
    image.save()
    image.thumbnail.save(f"thumb_{image.pk}.jpg", ContentFile(thumbnail), save=True)
    return image


@transaction.atomic
def product_image_remove(*, context: ConsoleContext, image_id: int) -> None:
    context.require_perm(Perm.PRODUCT_EDIT)
    image = get_scoped_or_404(ProductImage.objects.all(), context, pk=image_id)
    lock_product(context, image.product_id)
    image.delete()
