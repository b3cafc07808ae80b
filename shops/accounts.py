"""The facts of a creator's Douyin account that decide the cart permission: 粉丝数,
公开原创视频数, whether a phone is bound and the account is real-name verified.

They come from Douyin, never from the creator. A `CreatorAccountClient`, named by the
CREATOR_ACCOUNT_CLIENT setting (a dotted path), answers them; platform staff may correct
them in /admin/. Both write through `services.creator_set_account_facts`, which logs
every change. The default `OfflineCreatorAccountClient` answers from a JSON fixture
shipped with the app, so seed_demo and the tests need no network; a real client only
has to implement `account_facts`.
"""

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from core.fixtures import load_fixture

OFFLINE_FIXTURE = Path(__file__).resolve().parent / "data" / "creator_accounts.json"

# The Creator fields only the account client and platform staff write.
ACCOUNT_FACT_FIELDS = ("followers", "public_original_videos", "phone_bound", "real_name_verified")


@dataclass(frozen=True)
class AccountFacts:
    followers: int
    public_original_videos: int
    phone_bound: bool
    real_name_verified: bool

    def as_dict(self) -> dict:
        return asdict(self)


class CreatorAccountClient(Protocol):
    def account_facts(self, douyin_id: str) -> AccountFacts | None:
        """The account's facts; None when Douyin has no such account (an outage is an
        error, not None)."""


class OfflineCreatorAccountClient:
    """Answers from a JSON file: {"accounts": {douyin_id: {followers, …}}}."""

    def __init__(self, path: str | Path = OFFLINE_FIXTURE):
        self.accounts = load_fixture(str(path))["accounts"]

    def account_facts(self, douyin_id: str) -> AccountFacts | None:
        row = self.accounts.get(douyin_id)
        if row is None:
            return None
        return AccountFacts(
            followers=int(row["followers"]),
            public_original_videos=int(row["public_original_videos"]),
            phone_bound=bool(row["phone_bound"]),
            real_name_verified=bool(row["real_name_verified"]),
        )


def get_account_client() -> CreatorAccountClient:
    return import_string(settings.CREATOR_ACCOUNT_CLIENT)()
