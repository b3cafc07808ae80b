from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("店铺与成员")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_save

        from . import navigation, tokens

        navigation.register_shops_sections()
        user_model = get_user_model()
        pre_save.connect(tokens.remember_password_change, sender=user_model)
        post_save.connect(tokens.revoke_tokens_on_password_change, sender=user_model)
