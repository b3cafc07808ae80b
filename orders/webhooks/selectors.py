from django.db.models import Prefetch

from shops.roles import Perm
from shops.tenancy import ConsoleContext, get_scoped_or_404, scope

from .models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

LOG_SIZE = 50


def endpoint_list(*, context: ConsoleContext):
    context.require_perm(Perm.WEBHOOKS_MANAGE)
    return scope(WebhookEndpoint.objects.all(), context).order_by("id")


def endpoint_get(*, context: ConsoleContext, endpoint_id: int) -> WebhookEndpoint:
    context.require_perm(Perm.WEBHOOKS_MANAGE)
    return get_scoped_or_404(WebhookEndpoint.objects.all(), context, pk=endpoint_id)


def pending_count(endpoint: WebhookEndpoint) -> int:
    return WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).count()


def delivery_log(*, endpoint: WebhookEndpoint, size: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, each with its event and attempts (newest first)."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempt_set", queryset=WebhookAttempt.objects.order_by("-at", "-id"))
        )
        .order_by("-id")[:size]
    )


def recent_test_pushes(*, endpoint: WebhookEndpoint, size: int = 5) -> list[WebhookAttempt]:
    return list(
        WebhookAttempt.objects.filter(endpoint=endpoint, delivery__isnull=True).order_by("-at")[
            :size
        ]
    )


def paused_by_failures(*, context: ConsoleContext) -> list[WebhookEndpoint]:
    return list(
        scope(WebhookEndpoint.objects.all(), context).filter(
            is_active=False, paused_by_failures=True
        )
    )
