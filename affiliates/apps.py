from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffiliatesConfig(AppConfig):
    name = "affiliates"
    verbose_name = _("达人与联盟")

    def ready(self):
        from orders.signals import order_status_changed
        from shops.navigation import Section, register_section

        from .receivers import count_sales

        order_status_changed.connect(count_sales, dispatch_uid="affiliates.count_sales")
        from shops.roles import Perm
        from shops.tenancy import ContextKind

        register_section(
            Section(
                "alliance",
                _("精选联盟"),
                "affiliates:alliance",
                ContextKind.SHOP,
                15,
                perm=Perm.ALLIANCE_MANAGE,
            )
        )
        # One namespace, several sections: each lights up for its own page prefix.
        for key, label, url_name, order in (
            ("showcase", _("我的橱窗"), "affiliates:showcase", 10),
            ("market", _("选品广场"), "affiliates:market", 20),
            ("videos", _("视频"), "affiliates:videos", 30),
            ("lives", _("直播"), "affiliates:lives", 40),
        ):
            register_section(Section(key, label, url_name, ContextKind.CREATOR, order))
