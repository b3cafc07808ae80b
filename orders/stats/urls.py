"""数据 in the console (namespace "stats", /stats/) and in the API (/api/v1/stats/)."""

from django.urls import path

from . import api, views

console = (
    [
        path("", views.stats_page, name="overview"),
        path("export/<slug:panel>.csv", views.stats_export, name="export"),
        path("sections/<slug:view>/", views.stats_section, name="section"),
    ],
    "stats",
)

api_urlpatterns = [
    path(f"stats/{name}/", view.as_view(), name=f"stats-{name}")
    for name, view in api.ENDPOINTS.items()
]
