from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("商品")

    def ready(self):
        from PIL import Image

        from shops.navigation import Section, register

        from .validators import MAX_IMAGE_PIXELS

        # Pillow warns above this and refuses above twice this, whoever opens an image.
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        from shops.tenancy import ContextKind

        register(
            sections=[
                Section(
                    "products", _("商品"), "products:list", ContextKind.SHOP, 10, match="products:"
                )
            ]
        )
