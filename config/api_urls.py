from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from affiliates import api as affiliates_api
from logistics import api as logistics_api
from orders import api as orders_api
from products import api as products_api
from shops import api as shops_api

router = DefaultRouter()
router.register("shops", shops_api.ShopViewSet, basename="shop")
router.register("members", shops_api.MemberViewSet, basename="member")
router.register("creator", shops_api.CreatorViewSet, basename="creator")
router.register("products", products_api.ProductViewSet, basename="product")
router.register("skus", products_api.SkuViewSet, basename="sku")
router.register("orders", orders_api.OrderViewSet, basename="order")
router.register("aftersales", orders_api.AfterSaleViewSet, basename="aftersale")
router.register("showcase/items", affiliates_api.ShowcaseItemViewSet, basename="showcase-item")
router.register(
    "showcase/categories", affiliates_api.ShowcaseCategoryViewSet, basename="showcase-category"
)
router.register("videos", affiliates_api.VideoViewSet, basename="video")
router.register("lives", affiliates_api.LiveSessionViewSet, basename="live")
router.register("market", affiliates_api.MarketViewSet, basename="market")
router.register("alliance/offers", affiliates_api.AllianceOfferViewSet, basename="alliance-offer")
router.register("logistics/shipments", logistics_api.ShipmentViewSet, basename="shipment")
router.register("logistics/carriers", logistics_api.CarrierViewSet, basename="carrier")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("me/", shops_api.MeView.as_view(), name="me"),
    path("shop/settings/", shops_api.ShopSettingsView.as_view(), name="shop-settings"),
    path("", include(router.urls)),
]
