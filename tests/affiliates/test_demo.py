import pytest
from django.core.management import call_command

from affiliates.models import AllianceOffer, LiveItem, ShowcaseItem, VideoItem

# Idempotency (running twice adds nothing) is covered for every app by
# tests/shops/test_seed_demo.py; seeding is slow, so it runs once here.
pytestmark = pytest.mark.django_db


def test_demo_opens_offers_and_fills_the_eligible_creators_showcases():
    # when
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then: some products of each shop are open to 精选联盟
    assert set(AllianceOffer.objects.values_list("shop__slug", flat=True)) == {
        "chaoliu",
        "xianguo",
    }
    # and each eligible creator has items from several sources, a video and a live
    for username in ("creator", "creator2"):
        items = ShowcaseItem.objects.filter(creator__user__username=username)
        assert len(set(items.values_list("source", flat=True))) >= 3
        assert VideoItem.objects.filter(video__creator__user__username=username).exists()
        explaining = LiveItem.objects.filter(
            session__creator__user__username=username, is_explaining=True
        )
        assert explaining.count() == 1
    assert not ShowcaseItem.objects.filter(creator__user__username="newbie").exists()
