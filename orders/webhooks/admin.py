"""消息推送 in /admin/: endpoints, the outbox, deliveries and attempts are read-only (the
log of what was sent); staff pause, resume and 重新推送 through the console's services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from shops.tenancy import staff_context

from . import services
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "shop", "is_active", "consecutive_failures", "paused_at")
    list_filter = ("is_active", "paused_by_failures")
    list_select_related = ("shop",)
    search_fields = ("url", "shop__name")
    # Never the (encrypted) signing secret.
    fields = (
        "shop",
        "url",
        "events",
        "is_active",
        "consecutive_failures",
        "paused_at",
        "paused_by_failures",
        "created_at",
    )
    actions = ["pause", "resume"]
    done_message = _("已处理 %(n)s 个推送地址。")

    @admin.action(description=_("暂停推送"), permissions=["view"])
    def pause(self, request, queryset):
        self._as_shop(request, queryset, services.endpoint_pause)

    @admin.action(description=_("恢复推送"), permissions=["view"])
    def resume(self, request, queryset):
        self._as_shop(request, queryset, services.endpoint_resume)

    def _as_shop(self, request, queryset, service):
        """`service` on each endpoint, as staff acting for the endpoint's shop."""

        def apply(endpoint):
            context = staff_context(user=request.user, shop=endpoint.shop)
            service(context=context, endpoint_id=endpoint.pk)

        self.apply_each(request, queryset.select_related("shop"), apply)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "type", "order", "shop")
    list_filter = ("type",)
    list_select_related = ("order", "shop")
    search_fields = ("=order__order_no",)
    show_full_result_count = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "endpoint", "event", "status", "attempts", "delivered_at")
    list_filter = ("status",)
    list_select_related = ("endpoint__shop", "event")
    search_fields = ("endpoint__url",)
    show_full_result_count = False
    actions = ["redeliver"]
    done_message = _("已重新推送 %(n)s 条。")

    @admin.action(description=_("重新推送"), permissions=["view"])
    def redeliver(self, request, queryset):
        self.apply_each(
            request,
            queryset.select_related("endpoint__shop"),
            lambda d: services.delivery_redeliver(
                context=staff_context(user=request.user, shop=d.endpoint.shop), delivery_id=d.pk
            ),
        )


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "endpoint", "delivery", "status_code", "latency_ms", "error")
    list_select_related = ("endpoint",)
    search_fields = ("endpoint__url",)
    show_full_result_count = False
