"""Who sent the buyer: a signed token carried by buy links from a creator's showcase,
video or live cart, so the order records its creator and traffic source untampered."""

from dataclasses import asdict, dataclass

from django.core import signing
from django.utils.translation import gettext as _

from .exceptions import CheckoutError
from .models import Channel, TrafficSource

SALT = "orders.attribution"


@dataclass(frozen=True)
class Attribution:
    creator_id: int | None = None
    channel: int = Channel.SHOP
    traffic_source: str = TrafficSource.OTHER
    video_id: str = ""
    live_room_id: str = ""


def _invalid() -> CheckoutError:
    return CheckoutError(_("购买链接无效或已被修改，请从达人橱窗重新进入。"))


def attribution_sign(a: Attribution) -> str:
    return signing.dumps(asdict(a), salt=SALT, compress=True)


def attribution_read(token: str) -> Attribution:
    """The attribution in `token`; CheckoutError when it was altered or is not one."""
    try:
        data = signing.loads(token, salt=SALT)
        attribution = Attribution(**data)
    except (signing.BadSignature, TypeError) as exc:
        raise _invalid() from exc
    if attribution.channel not in Channel.values or (
        attribution.traffic_source not in TrafficSource.values
    ):
        raise _invalid()
    return attribution
