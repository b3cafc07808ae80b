from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from orders import urls as orders_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("products/", include("products.urls")),
    path("logistics/", include("logistics.urls")),
    path("affiliates/", include("affiliates.urls")),
    path("s/", include("affiliates.public_urls")),
    path("orders/", include(orders_urls.orders)),
    path("aftersales/", include(orders_urls.aftersales)),
    path("", include("orders.buyer_urls")),
    path("", include("shops.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
