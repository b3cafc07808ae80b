from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("店铺与成员")

    def ready(self):
        from . import navigation

        navigation.register_shops_sections()
