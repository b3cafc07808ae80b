from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.media import media
from orders import urls as orders_urls
from orders.stats import urls as stats_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("products/", include("products.urls")),
    path("logistics/", include("logistics.urls")),
    path("affiliates/", include("affiliates.urls")),
    path("s/", include("affiliates.public_urls")),
    path("live/", include("affiliates.live_urls")),
    path("orders/", include(orders_urls.orders)),
    path("aftersales/", include(orders_urls.aftersales)),
    path("stats/", include(stats_urls.console)),
    path("settings/webhooks/", include("orders.webhooks.urls")),
    path("", include("orders.buyer_urls")),
    path("", include("shops.urls")),
]
if not settings.MEDIA_S3_BUCKET:
    # Uploads on local disk are served by the site itself, DEBUG or not (core.media).
    urlpatterns.append(path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media, name="media"))
