"""店铺设置 → 开放接口 → 消息推送 (店主 only): thin callers of services and selectors."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import bound_form, button, create_once
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from . import selectors, sending, services
from .forms import EndpointForm

MANAGE = dict(audience=ContextKind.SHOP, perm=Perm.WEBHOOKS_MANAGE)


@console_view(**MANAGE)
def endpoint_list(request):
    form = bound_form(request, EndpointForm)
    form, shown = create_once(
        request,
        form,
        lambda data: services.endpoint_create(
            context=request.console, url=data["url"], events=data["events"]
        ),
        shown=lambda created: {"new_endpoint": created[0], "new_secret": created[1]},
        on_error=lambda exc: form.add_error("url" if "url" in exc.fields else None, exc.message),
    )
    return render(
        request,
        "orders/webhooks/list.html",
        {
            "form": form,
            "endpoints": selectors.endpoint_list(context=request.console),
            "headers": {
                "timestamp": sending.TIMESTAMP_HEADER,
                "signature": sending.SIGNATURE_HEADER,
                "event_id": sending.EVENT_ID_HEADER,
            },
            **shown,
        },
    )


@console_view(**MANAGE)
def endpoint_detail(request, endpoint_id: int):
    endpoint = selectors.endpoint_get(context=request.console, endpoint_id=endpoint_id)
    return render(
        request,
        "orders/webhooks/detail.html",
        {
            "endpoint": endpoint,
            "pending": selectors.pending_count(endpoint),
            "deliveries": selectors.delivery_log(endpoint=endpoint),
            "test_pushes": selectors.recent_test_pushes(endpoint=endpoint),
        },
    )


def _on_endpoint(service, done):
    """A button running `service` on the endpoint, then back to its page."""
    return console_view(**MANAGE)(
        button(service, success=done, to="webhooks:detail", keep=("endpoint_id",))
    )


endpoint_pause = _on_endpoint(
    services.endpoint_pause, gettext_lazy("已暂停推送，新事件会保留，恢复后按顺序补推。")
)
endpoint_resume = _on_endpoint(
    services.endpoint_resume, gettext_lazy("已恢复推送，积压的事件将按顺序补推。")
)


@console_view(**MANAGE)
@require_POST
def endpoint_test(request, endpoint_id: int):
    attempt = services.endpoint_test_push(context=request.console, endpoint_id=endpoint_id)
    if attempt.ok:
        messages.success(
            request,
            _("测试推送成功：HTTP %(code)s，%(ms)s 毫秒。")
            % {"code": attempt.status_code, "ms": attempt.latency_ms},
        )
    else:
        messages.error(
            request,
            _("测试推送失败：%(why)s") % {"why": attempt.error or f"HTTP {attempt.status_code}"},
        )
    return redirect("webhooks:detail", endpoint_id=endpoint_id)


@console_view(**MANAGE)
@require_POST
def delivery_redeliver(request, delivery_id: int):
    delivery = services.delivery_redeliver(context=request.console, delivery_id=delivery_id)
    messages.success(request, _("已重新加入推送队列。"))
    return redirect("webhooks:detail", endpoint_id=delivery.endpoint_id)
