from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("商品")

    def ready(self):
        from shops.navigation import Section, register_section
        from shops.tenancy import ContextKind

        register_section(
            Section("products", _("商品"), "products:list", ContextKind.SHOP, 10, match="products:")
        )
