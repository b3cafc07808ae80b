"""直播间实时订单: the live-room overlay (no login: the token in the address is the
credential), its event stream, and the event stream of the shop's 大屏."""

from django.urls import path

from . import live_feed_views

app_name = "live"

# Everything under /live/ is a long-lived event stream or its page: production serves the
# prefix with uvicorn (ASGI), apart from the console's gunicorn workers (README).
urlpatterns = [
    # The shop's 大屏 (a console login, not a token); before the token routes.
    path("shop/events/", live_feed_views.live_screen_events, name="shop_events"),
    path("<str:token>/feed/", live_feed_views.live_feed, name="feed"),
    path("<str:token>/events/", live_feed_views.live_feed_events, name="events"),
]
