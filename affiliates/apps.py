from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffiliatesConfig(AppConfig):
    name = "affiliates"
    verbose_name = _("达人与联盟")
    # Who sent the buyers of orders' demo orders (orders.demo._hooks).
    demo_order_attributions = "affiliates.demo.order_attributions"

    def ready(self):
        from orders.signals import order_status_changed
        from shops.navigation import Section, register

        from .receivers import count_sales

        order_status_changed.connect(count_sales, dispatch_uid="affiliates.count_sales")
        from .live_feed_push import ring_paid_order

        # 直播间实时订单: a paid order wakes its live room's overlays and its shop's 大屏.
        order_status_changed.connect(ring_paid_order, dispatch_uid="affiliates.live_feed")
        from orders.signals import aftersale_status_changed

        from .ledger import receivers as ledger_receivers

        # Money follows orders: commissions (佣金收入) and shop settlement (资金).
        order_status_changed.connect(
            ledger_receivers.follow_order, dispatch_uid="affiliates.ledger.follow_order"
        )
        aftersale_status_changed.connect(
            ledger_receivers.follow_aftersale, dispatch_uid="affiliates.ledger.follow_aftersale"
        )
        from shops.roles import Perm
        from shops.tenancy import ContextKind

        shop, creator = ContextKind.SHOP, ContextKind.CREATOR
        register(
            sections=[
                Section(
                    "alliance",
                    _("精选联盟"),
                    "affiliates:alliance",
                    shop,
                    15,
                    perm=Perm.ALLIANCE_MANAGE,
                ),
                # One namespace, several sections: each lights up for its own page prefix.
                Section("showcase", _("我的橱窗"), "affiliates:showcase", creator, 10),
                Section("market", _("选品广场"), "affiliates:market", creator, 20),
                Section("videos", _("视频"), "affiliates:videos", creator, 30),
                Section("lives", _("直播"), "affiliates:lives", creator, 40),
                Section("income", _("佣金收入"), "affiliates:income", creator, 50),
                Section("board", _("数据看板"), "affiliates:board", creator, 60),
                Section("funds", _("资金"), "affiliates:funds", shop, 60, perm=Perm.FUNDS_VIEW),
                # 直播大屏: the shop's paid orders as they arrive (affiliates.live_feed).
                Section(
                    "live_screen",
                    _("直播大屏"),
                    "affiliates:live_screen",
                    shop,
                    55,
                    perm=Perm.DATA_VIEW,
                ),
            ]
        )
