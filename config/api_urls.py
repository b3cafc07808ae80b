from django.urls import include, path
from rest_framework.routers import DefaultRouter

from affiliates import api as affiliates_api
from affiliates.board import urls as board_urls
from affiliates.ledger import api as ledger_api
from affiliates.ledger import report_api
from logistics import api as logistics_api
from orders import api as orders_api
from orders import sync_api as orders_sync_api
from orders.stats import urls as stats_urls
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
router.register("income/entries", ledger_api.IncomeEntryViewSet, basename="income-entry")
router.register("income/withdrawals", ledger_api.WithdrawalViewSet, basename="withdrawal")
router.register("settlement/orders", ledger_api.SettlementViewSet, basename="settlement")
router.register("logistics/carriers", logistics_api.CarrierViewSet, basename="carrier")

urlpatterns = [
    path("auth/token/", shops_api.ObtainTokenView.as_view(), name="token"),
    path("auth/logout/", shops_api.RevokeTokenView.as_view(), name="logout"),
    path("me/", shops_api.MeView.as_view(), name="me"),
    path("shop/settings/", shops_api.ShopSettingsView.as_view(), name="shop-settings"),
    path("income/summary/", ledger_api.IncomeSummaryView.as_view(), name="income-summary"),
    path(
        "income/reports/preview/",
        report_api.ReportPreviewView.as_view(),
        name="income-report-preview",
    ),
    path("income/reports/", report_api.ReportImportView.as_view(), name="income-report-import"),
    path(
        "settlement/summary/", ledger_api.SettlementSummaryView.as_view(), name="settlement-summary"
    ),
    # Before the router, whose orders/<pk>/ would take "changes" for an id.
    path("orders/changes/", orders_sync_api.OrderChangesView.as_view(), name="order-changes"),
    *stats_urls.api_urlpatterns,
    *board_urls.api_urlpatterns,
    path("", include(router.urls)),
]
