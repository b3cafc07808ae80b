"""直播间实时订单 pages: the creator's overlay (public, its token is the credential), the
JSON it polls, the link's rotation on the live cart page, and the shop's 大屏."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orders.changes import BadChangeCursor
from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from .live_feed import POLL_MS, Room, feed_json, feed_read, live_rotate_feed_token
from .models import LiveSession
from .views import showcase_view

# The token is in the address: keep it out of Referer headers and search engines, and
# let no shared cache keep a room's orders.
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


def _answer(request, room: Room, session=None) -> JsonResponse:
    try:
        page = feed_read(room=room, cursor=request.GET.get("cursor", ""), session=session)
    except BadChangeCursor:
        return JsonResponse({"message": _("游标无效。")}, status=400, headers=PRIVATE_HEADERS)
    return JsonResponse(feed_json(page), headers=PRIVATE_HEADERS)


def _session(token: str) -> LiveSession:
    return get_object_or_404(
        LiveSession.objects.only("id", "creator_id", "title", "feed_token"), feed_token=token
    )


@require_GET
def live_feed(request, token: str):
    session = _session(token)
    response = render(
        request, "affiliates/live_feed.html", {"session": session, "poll_ms": POLL_MS}
    )
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


@require_GET
def live_feed_data(request, token: str):
    session = _session(token)
    return _answer(request, Room.of_session(session), session)


@showcase_view
@require_POST
def lives_feed_rotate(request, session_id: int):
    live_rotate_feed_token(context=request.console, session_id=session_id)
    messages.success(request, _("已更换实时订单链接，旧链接已失效。"))
    return redirect("affiliates:lives_detail", session_id=session_id)


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
@require_GET
def live_screen(request):
    return render(request, "affiliates/live_screen.html", {"poll_ms": POLL_MS})


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
@require_GET
def live_screen_data(request):
    return _answer(request, Room(shop_id=request.console.shop.pk))
