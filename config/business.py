"""The business rules' knobs (payments, order files, 消息推送, checkout limits, late
shipment, commission and settlement, external sources, tracking pushes), read from the
environment like the rest of config.settings, which takes them all; see README
"Configuration"."""

import os

from .env import DEBUG, env_bool, env_int

# The payment provider signs its callbacks with this secret (HMAC-SHA256). Without it
# every callback is refused; development uses a fixed key and a built-in simulator.
PAYMENT_PROVIDER_SECRET = os.environ.get(
    "PAYMENT_PROVIDER_SECRET", "dev-payment-secret" if DEBUG else ""
)
PAYMENT_SIMULATOR_ENABLED = env_bool("PAYMENT_SIMULATOR_ENABLED", DEBUG)

# The whole-number knobs, name → default: each is read from the environment variable of
# its name by the loop below (settings.X, like every other knob).
_INTEGERS = {
    # 订单导出 (orders.files.export): a file of several ranges of orders is read on this many
    # connections side by side, in one snapshot; each takes a core of PostgreSQL while it runs.
    "ORDER_EXPORT_CONNECTIONS": 2,
    # 消息推送 (orders.webhooks): a delivery is good only on a 2xx within the timeout
    # (seconds); failures retry after base × 2^n seconds (capped) for WEBHOOK_RETRY_HOURS;
    # an endpoint is paused after WEBHOOK_PAUSE_AFTER_FAILURES consecutive failures.
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    "WEBHOOK_RETRY_BASE_SECONDS": 30,
    "WEBHOOK_RETRY_MAX_SECONDS": 3600,
    "WEBHOOK_RETRY_HOURS": 24,
    "WEBHOOK_PAUSE_AFTER_FAILURES": 20,
    # A failing endpoint waits as a whole (1, 2, 4 … capped at 60 s) between attempts: a
    # 10-minute outage is ~16 attempts (not paused), and delivery resumes ≤ 60 s after it.
    "WEBHOOK_ENDPOINT_RETRY_BASE_SECONDS": 1,
    "WEBHOOK_ENDPOINT_RETRY_MAX_SECONDS": 60,
    # Checkout abuse (orders.limits): open unpaid orders one buyer phone, and one client
    # (session or IP), may hold in a shop; checkout attempts per client per window (seconds),
    # counted in the cache: CACHE_URL (redis://…) shares the counts between processes.
    "CHECKOUT_MAX_UNPAID_PER_PHONE": 2,
    "CHECKOUT_MAX_UNPAID_PER_CLIENT": 3,
    "CHECKOUT_RATE_LIMIT": 10,
    "CHECKOUT_RATE_WINDOW": 600,
    # Late shipment: the buyer is owed 10% of the paid amount, at least ¥5, at most ¥100.
    "LATE_SHIPMENT_COMPENSATION_BP": 1000,
    "LATE_SHIPMENT_COMPENSATION_MIN_FEN": 500,
    "LATE_SHIPMENT_COMPENSATION_MAX_FEN": 10000,
    # Money (affiliates.ledger): the platform's technical service fee on a 精选联盟 commission,
    # the days after completion before an order settles (commission and shop settlement),
    # and the platform service fee of categories without their own rate (/admin/).
    "ALLIANCE_TECH_FEE_BP": 1000,
    "SETTLEMENT_DELAY_DAYS": 7,
    "PLATFORM_SERVICE_FEE_DEFAULT_BP": 500,
}
globals().update({name: env_int(name, default) for name, default in _INTEGERS.items()})

# Endpoints of 消息推送 on private, loopback, link-local or reserved addresses are refused
# unless this is on (development and tests only: it opens the server's network).
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", DEBUG)

# Where external items (淘宝联盟, 京东联盟, …) come from: a dotted path to a class with the
# affiliates.sources.SourceClient methods. The default answers from a shipped fixture.
AFFILIATE_SOURCE_CLIENT = os.environ.get(
    "AFFILIATE_SOURCE_CLIENT", "affiliates.sources.OfflineSourceClient"
)
# Where creators' Douyin account facts (粉丝数, 视频数, 手机/实名) come from: a dotted path to a
# class with shops.accounts.CreatorAccountClient's method. The default reads a shipped fixture.
CREATOR_ACCOUNT_CLIENT = os.environ.get(
    "CREATOR_ACCOUNT_CLIENT", "shops.accounts.OfflineCreatorAccountClient"
)

# Key of the signed tracking push (POST /logistics/tracking/push/) from a carrier or
# tracking aggregator: HMAC-SHA256 over timestamp + "." + body (core.signing).
# Without it every push is refused; development uses a fixed key.
TRACKING_PUSH_SECRET = os.environ.get(
    "TRACKING_PUSH_SECRET", "dev-tracking-push-secret" if DEBUG else ""
)
