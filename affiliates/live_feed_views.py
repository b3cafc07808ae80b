"""直播间实时订单 pages: the creator's overlay (public, its token is the credential), the
event stream it listens to, the link's rotation on the live cart page, and the shop's
大屏 with its own stream."""

from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shops.roles import Perm
from shops.tenancy import ContextKind
from shops.views import console_view

from .live_feed import Room, live_rotate_feed_token
from .live_feed_push import session_room, shop_room
from .live_feed_stream import Feed, events, events_async
from .models import LiveSession
from .views import showcase_view

# The token is in the address: keep it out of Referer headers and search engines, and
# let no shared cache keep a room's orders.
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


def _stream(request, feed: Feed) -> StreamingHttpResponse:
    # EventSource resends the last id it saw; the page passes it as ?cursor= when it
    # opens a new EventSource after one gave up (a 502 while the server restarted).
    cursor = request.headers.get("Last-Event-ID") or request.GET.get("cursor") or None
    if isinstance(request, ASGIRequest):
        # This request's thread now idles for the life of the stream: it must not keep
        # a database connection (the stream reads through its own pool).
        connection.close()
        content = events_async(feed, cursor)
    else:
        content = events(feed, cursor)
    # No proxy buffering (nginx): each event must leave at once.
    headers = {**PRIVATE_HEADERS, "X-Accel-Buffering": "no"}
    return StreamingHttpResponse(content, content_type="text/event-stream", headers=headers)


def _session(token: str) -> LiveSession:
    return get_object_or_404(
        LiveSession.objects.only("id", "creator_id", "title", "feed_token"), feed_token=token
    )


@require_GET
def live_feed(request, token: str):
    session = _session(token)
    response = render(request, "affiliates/live_feed.html", {"session": session})
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


@require_GET
def live_feed_events(request, token: str):
    session = _session(token)
    room = Room.of_session(session)
    return _stream(request, Feed(room=room, key=session_room(session.pk), session=session))


@showcase_view
@require_POST
def lives_feed_rotate(request, session_id: int):
    live_rotate_feed_token(context=request.console, session_id=session_id)
    messages.success(request, _("已更换实时订单链接，旧链接已失效。"))
    return redirect("affiliates:lives_detail", session_id=session_id)


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
@require_GET
def live_screen(request):
    return render(request, "affiliates/live_screen.html")


@console_view(ContextKind.SHOP, perm=Perm.DATA_VIEW)
@require_GET
def live_screen_events(request):
    shop_id = request.console.shop.pk
    return _stream(request, Feed(room=Room(shop_id=shop_id), key=shop_room(shop_id)))
