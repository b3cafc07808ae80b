from django.urls import path

from . import live_feed_views, views
from .board import urls as board_urls
from .carts import urls as cart_urls
from .ledger import urls as ledger_urls

app_name = "affiliates"

urlpatterns = [
    # merchant
    path("alliance/", views.alliance, name="alliance"),
    path("alliance/<int:offer_id>/", views.alliance_detail, name="alliance_detail"),
    path("alliance/<int:offer_id>/close/", views.alliance_close, name="alliance_close"),
    path("alliance/<int:offer_id>/reopen/", views.alliance_reopen, name="alliance_reopen"),
    # creator
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/add/", views.showcase_add, name="showcase_add"),
    path("showcase/add/shop/<int:product_id>/", views.showcase_add_shop, name="showcase_add_shop"),
    path("showcase/items/<int:item_id>/", views.showcase_item_update, name="showcase_item"),
    path(
        "showcase/items/<int:item_id>/move/<str:direction>/",
        views.showcase_item_move,
        name="showcase_item_move",
    ),
    path(
        "showcase/items/<int:item_id>/remove/",
        views.showcase_item_remove,
        name="showcase_item_remove",
    ),
    path("showcase/categories/", views.showcase_category_add, name="showcase_category_add"),
    path(
        "showcase/categories/<int:category_id>/delete/",
        views.showcase_category_delete,
        name="showcase_category_delete",
    ),
    path("market/", views.market, name="market"),
    path("market/<int:offer_id>/add/", views.market_add, name="market_add"),
    # 视频 and 直播 carts
    *cart_urls.urlpatterns,
    # 直播间实时订单: the overlay link's rotation (creator), the shop's 大屏 (merchant).
    path(
        "lives/<int:session_id>/feed-link/rotate/",
        live_feed_views.lives_feed_rotate,
        name="lives_feed_rotate",
    ),
    path("live-screen/", live_feed_views.live_screen, name="live_screen"),
]

# Money: 佣金收入 and 提现 (creator), 资金 (merchant).
urlpatterns += ledger_urls.urlpatterns
# 数据看板 (creator).
urlpatterns += board_urls.urlpatterns
