from decimal import Decimal

from django import template

from core.money import format_yuan

register = template.Library()
register.filter("yuan", format_yuan)


@register.filter
def percent_bp(bp):
    """2000 -> "20%", 1250 -> "12.5%"."""
    if bp is None or bp == "":
        return "—"
    return f"{Decimal(bp) / 100:g}%"


@register.simple_tag
def item_image(item):
    """The picture of a showcase item: the product's first image, or the network's."""
    if item.product_id:
        images = list(item.product.images.all())
        if images:
            picture = images[0].thumbnail or images[0].image
            return picture.url
        return ""
    return item.image_url
