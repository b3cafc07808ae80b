from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("物流")
    # Ships orders' demo orders through the shipping service (orders.demo._hooks).
    demo_order_shipper = "logistics.demo.ship_demo_orders"

    def ready(self):
        from orders.files.columns import register_tracking_sql
        from orders.payloads import register_payload_part
        from shops.navigation import Section, register
        from shops.tenancy import ContextKind

        from . import dashboard, order_files, order_panels, sync

        register(
            sections=[
                Section(
                    "logistics",
                    _("物流"),
                    "logistics:to_ship",
                    ContextKind.SHOP,
                    40,
                    match="logistics:",
                ),
            ],
            shop_cards=[dashboard.shop_cards],
        )
        register_payload_part("parcels", sync.parcels_by_order)
        register_tracking_sql(order_files.TRACKING_SQL)
        order_panels.register()  # parcels and ship forms on orders' pages (orders.panels)
