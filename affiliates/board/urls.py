"""数据看板 in the console (part of the affiliates namespace) and in the API."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("data/", views.board, name="board"),
    path("data/export/<slug:panel>.csv", views.board_export, name="board_export"),
    path("data/sections/<slug:view>/", views.board_section, name="board_section"),
]

api_urlpatterns = [
    path(f"creator/stats/{name}/", view.as_view(), name=f"creator-stats-{name}")
    for name, view in api.ENDPOINTS.items()
]
