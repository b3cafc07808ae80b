from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("订单")

    def ready(self):
        from shops.navigation import Section, register
        from shops.roles import Perm
        from shops.tenancy import ContextKind

        from . import dashboard
        from .stats import dashboard as stats_dashboard
        from .webhooks import dashboard as webhooks_dashboard

        shop = ContextKind.SHOP
        register(
            sections=[
                Section("orders", _("订单管理"), "orders:list", shop, 20, match="orders:"),
                Section("aftersales", _("售后"), "aftersales:list", shop, 30, match="aftersales:"),
                Section(
                    "stats",
                    _("数据"),
                    "stats:overview",
                    shop,
                    70,
                    perm=Perm.DATA_VIEW,
                    match="stats:",
                ),
            ],
            shop_cards=[
                dashboard.shop_cards,
                stats_dashboard.shop_cards,
                webhooks_dashboard.shop_cards,
            ],
        )

        from django.db.models.signals import post_save

        from .signals import aftersale_status_changed, order_status_changed
        from .webhooks import receivers as webhooks_receivers

        order_status_changed.connect(webhooks_receivers.kick, dispatch_uid="webhooks-kick-order")
        post_save.connect(
            webhooks_receivers.kick_created,
            sender="orders.Order",
            dispatch_uid="webhooks-kick-order-created",
        )
        aftersale_status_changed.connect(
            webhooks_receivers.kick, dispatch_uid="webhooks-kick-aftersale"
        )
