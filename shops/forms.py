from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Creator, Shop
from .roles import Role
from .services import CREATOR_PROFILE_FIELDS, SHOP_SETTINGS_FIELDS


class ShopSettingsForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = SHOP_SETTINGS_FIELDS


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class CreatorProfileForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = CREATOR_PROFILE_FIELDS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"), max_length=40, help_text=_("例如：ERP 对接、打单软件。")
    )
