"""The cart pages' URLs: the same four routes for each kind (names and paths as before:
`affiliates:videos_detail` = /videos/<video_id>/, `affiliates:lives_detail` =
/lives/<session_id>/ …), plus 讲解 for lives."""

from django.urls import path

from . import views
from .kinds import LIVE_CART, VIDEO_CART


def _routes(cart):
    one = f"{cart.name}/<int:{cart.id_kwarg}>/"
    kind = {"cart": cart}
    return [
        path(f"{cart.name}/", views.cart_list, kind, name=cart.name),
        path(one, views.cart_detail, kind, name=f"{cart.name}_detail"),
        path(f"{one}delete/", views.cart_delete, kind, name=f"{cart.name}_delete"),
        path(f"{one}items/<int:item_id>/remove/", views.cart_remove, kind, name=cart.remove_name),
    ]


urlpatterns = [
    *_routes(VIDEO_CART),
    *_routes(LIVE_CART),
    path(
        "lives/<int:session_id>/items/<int:item_id>/explain/",
        views.lives_explain,
        name="lives_explain",
    ),
    path("lives/<int:session_id>/unexplain/", views.lives_unexplain, name="lives_unexplain"),
]
