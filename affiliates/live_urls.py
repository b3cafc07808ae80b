"""The live-room order overlay (no login: the token in the address is the credential)."""

from django.urls import path

from . import live_feed_views

app_name = "live"

urlpatterns = [
    path("<str:token>/feed/", live_feed_views.live_feed, name="feed"),
    path("<str:token>/feed.json", live_feed_views.live_feed_data, name="feed_data"),
]
