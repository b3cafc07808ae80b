from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from shops import api as shops_api

router = DefaultRouter()
router.register("shops", shops_api.ShopViewSet, basename="shop")
router.register("members", shops_api.MemberViewSet, basename="member")
router.register("creator", shops_api.CreatorViewSet, basename="creator")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("me/", shops_api.MeView.as_view(), name="me"),
    path("shop/settings/", shops_api.ShopSettingsView.as_view(), name="shop-settings"),
    path("", include(router.urls)),
]
