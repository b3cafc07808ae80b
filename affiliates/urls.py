from django.urls import path

from . import views

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
    path("videos/", views.videos, name="videos"),
    path("videos/<int:video_id>/", views.videos_detail, name="videos_detail"),
    path("videos/<int:video_id>/delete/", views.videos_delete, name="videos_delete"),
    path(
        "videos/<int:video_id>/items/<int:item_id>/remove/",
        views.videos_detach,
        name="videos_detach",
    ),
    path("lives/", views.lives, name="lives"),
    path("lives/<int:session_id>/", views.lives_detail, name="lives_detail"),
    path("lives/<int:session_id>/delete/", views.lives_delete, name="lives_delete"),
    path(
        "lives/<int:session_id>/items/<int:item_id>/explain/",
        views.lives_explain,
        name="lives_explain",
    ),
    path("lives/<int:session_id>/unexplain/", views.lives_unexplain, name="lives_unexplain"),
    path(
        "lives/<int:session_id>/items/<int:item_id>/remove/",
        views.lives_remove,
        name="lives_remove",
    ),
]
