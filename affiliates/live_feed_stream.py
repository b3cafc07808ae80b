"""直播间实时订单 as Server-Sent Events: one open response per overlay or 大屏.

On connect the feed sends the current state (or, resuming with `Last-Event-ID`, what
arrived since that cursor), then sleeps on its room's bell (affiliates.live_feed_push)
and sends only what is new. Every event's `id:` is the feed's cursor, so EventSource's
automatic reconnect resumes where it stopped. A comment line every `HEARTBEAT_S` keeps
proxies from closing an idle connection and tells a gone client apart.

Idle, a feed costs no query and no CPU: no timer but the heartbeat. Under ASGI
(uvicorn, production) the feeds are coroutines on one event loop and their reads run in
a small pool of `READERS` threads, so a thousand feeds hold `READERS` database
connections at most. Under WSGI (`make run`, the test server) each feed holds its own
thread — fine for development, and why production serves /live/ with uvicorn.
"""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection

from orders.changes import BadChangeCursor
from orders.changes import _decode as cursor_decode

from .live_feed import FeedPage, Room, feed_json, feed_read
from .live_feed_push import FALLBACK_S, hub, redis_url

HEARTBEAT_S = 15.0
HEARTBEAT = ": \n\n"  # a comment line: EventSource ignores it
RETRY_MS = 3000  # EventSource's reconnect delay after a dropped connection
# After a ring whose transaction the read could not pass yet (an older one still runs),
# read again after this, doubling up to the cap, until it is passed.
AGAIN_S, AGAIN_MAX_S = 0.2, 2.0
READERS = 4

_readers = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="live-feed-read")


def sse(data: dict, cursor: str) -> str:
    return f"id: {cursor}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class Feed:
    """The state of one open feed; `first` and `next` read (synchronously) and return
    the text to send, the wait loops around them are below."""

    def __init__(self, *, room: Room, key: str, session=None):
        self.room, self.key, self.session = room, key, session
        self.cursor = None
        self.pending = None  # an xid rung that the cursor has not passed yet
        self.again = AGAIN_S
        self.explaining = None
        self.fallback = redis_url() is None

    def first(self, cursor: str | None) -> str:
        try:
            cursor_decode(cursor or "")
        except BadChangeCursor:
            cursor = None  # a stale or forged Last-Event-ID: start from now
        page = self._read(cursor or None)
        return f"retry: {RETRY_MS}\n" + self._event(page, always=True)

    def next(self, xid: int | None) -> str:
        if xid is not None and (self.pending is None or xid > self.pending):
            self.pending = xid
        out = []
        while True:
            page = self._read(self.cursor)
            out.append(self._event(page))
            if not page.more:
                break
        if self.pending is not None and cursor_decode(self.cursor)[0] > self.pending:
            self.pending, self.again = None, AGAIN_S
        return "".join(out)

    def wants_read(self, rung: bool) -> bool:
        return rung or self.pending is not None or self.fallback

    def reply(self, text: str, rung: bool) -> str:
        """What to send after a wait: the news, else a heartbeat when the wait timed out
        (nothing after a ring that brought no news)."""
        return text or ("" if rung else HEARTBEAT)

    def timeout(self) -> float:
        if self.pending is not None:
            wait, self.again = self.again, min(self.again * 2, AGAIN_MAX_S)
            return wait
        return min(HEARTBEAT_S, FALLBACK_S) if self.fallback else HEARTBEAT_S

    def _read(self, cursor) -> FeedPage:
        page = feed_read(room=self.room, cursor=cursor, session=self.session)
        self.cursor = page.cursor
        return page

    def _event(self, page: FeedPage, always=False) -> str:
        changed = page.explaining != self.explaining
        self.explaining = page.explaining
        if not (always or page.orders or page.count is not None or changed):
            return ""
        return sse(feed_json(page), page.cursor)


def _in_pool(function, *args) -> str:
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


def _release() -> None:
    # Between reads this thread may sleep for hours: it gives its connection back, unless
    # it is inside a transaction that is not the feed's to end (the test client's).
    if not connection.in_atomic_block:
        connection.close()


def events(feed: Feed, cursor: str | None):
    """The feed for a WSGI server: this thread waits; it holds no database connection
    between reads, so an idle feed is a sleeping thread."""
    waiter = hub.subscribe(feed.key)
    try:
        try:
            yield feed.first(cursor)
        finally:
            _release()
        while True:
            rung = waiter.wait(feed.timeout())
            xid, closed = waiter.take()
            if closed:
                return
            try:
                text = feed.next(xid) if feed.wants_read(rung) else ""
            finally:
                _release()
            if reply := feed.reply(text, rung):
                yield reply
    finally:
        hub.unsubscribe(waiter)


async def events_async(feed: Feed, cursor: str | None):
    """The feed for an ASGI server: a coroutine waiting on the event loop; reads run in
    the shared reader pool."""
    loop = asyncio.get_running_loop()
    waiter = hub.subscribe(feed.key, loop)
    try:
        yield await loop.run_in_executor(_readers, _in_pool, feed.first, cursor)
        while True:
            rung = await waiter.wait_async(feed.timeout())
            xid, closed = waiter.take()
            if closed:
                return
            text = ""
            if feed.wants_read(rung):
                text = await loop.run_in_executor(_readers, _in_pool, feed.next, xid)
            if reply := feed.reply(text, rung):
                yield reply
    finally:
        hub.unsubscribe(waiter)
