from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch_context, name="switch"),
    path("settings/", views.shop_settings, name="settings"),
    path("settings/members/", views.members, name="settings_members"),
    path(
        "settings/members/<int:membership_id>/role/",
        views.member_change_role,
        name="settings_member_role",
    ),
    path(
        "settings/members/<int:membership_id>/remove/",
        views.member_remove,
        name="settings_member_remove",
    ),
    path("settings/tokens/", views.api_tokens, name="settings_tokens"),
    path(
        "settings/tokens/<str:token_id>/revoke/",
        views.api_token_revoke,
        name="settings_token_revoke",
    ),
    path("creator/profile/", views.creator_profile, name="creator_profile"),
    path("creator/recheck/", views.creator_recheck, name="creator_recheck"),
]
