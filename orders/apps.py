from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("订单")

    def ready(self):
        from shops.navigation import Section, register_cards, register_section
        from shops.tenancy import ContextKind

        from . import dashboard

        register_section(
            Section("orders", _("订单管理"), "orders:list", ContextKind.SHOP, 20, match="orders:")
        )
        register_section(
            Section(
                "aftersales",
                _("售后"),
                "aftersales:list",
                ContextKind.SHOP,
                30,
                match="aftersales:",
            )
        )
        register_cards(ContextKind.SHOP, dashboard.shop_cards)
