import pytest
from django.urls import reverse

from shops import services
from shops.accounts import AccountFacts, OfflineCreatorAccountClient
from shops.exceptions import CreatorAccountUnknown
from shops.factories import CreatorFactory, UserFactory
from shops.models import AccountChangeSource, CreatorAccountChange

pytestmark = pytest.mark.django_db


class RecordingAccountClient:
    """A client as a real Douyin integration would plug in (CREATOR_ACCOUNT_CLIENT)."""

    asked: list[str] = []

    def account_facts(self, douyin_id):
        self.asked.append(douyin_id)
        return AccountFacts(
            followers=4321, public_original_videos=55, phone_bound=True, real_name_verified=True
        )


def test_the_offline_client_answers_from_the_fixture():
    client = OfflineCreatorAccountClient()
    assert client.account_facts("xiaolin_new") == AccountFacts(560, 6, True, False)
    assert client.account_facts("nobody_here") is None


def test_refresh_asks_the_configured_client(settings):
    # given
    settings.CREATOR_ACCOUNT_CLIENT = f"{__name__}.RecordingAccountClient"
    RecordingAccountClient.asked = []
    creator = CreatorFactory(followers=3, public_original_videos=1)
    # when
    result = services.creator_refresh_account(creator=creator)
    # then
    creator.refresh_from_db()
    assert RecordingAccountClient.asked == [creator.douyin_id]
    assert (creator.followers, creator.public_original_videos) == (4321, 55)
    assert result.eligible and creator.has_cart_permission


def test_refresh_logs_what_the_account_changed():
    # given
    creator = CreatorFactory(douyin_id="xiaolin_new", followers=12800, real_name_verified=True)
    # when
    services.creator_refresh_account(creator=creator)
    # then
    changes = {
        (c.field, c.old_value, c.new_value, c.source, c.changed_by_id)
        for c in CreatorAccountChange.objects.filter(creator=creator)
    }
    assert changes == {
        ("followers", "12800", "560", AccountChangeSource.SYNC, None),
        ("public_original_videos", "36", "6", AccountChangeSource.SYNC, None),
        ("real_name_verified", "True", "False", AccountChangeSource.SYNC, None),
    }


def test_refreshing_unchanged_facts_logs_nothing():
    creator = CreatorFactory(douyin_id="just_eligible", followers=1000, public_original_videos=10)
    services.creator_refresh_account(creator=creator)
    assert not CreatorAccountChange.objects.exists()


def test_an_account_douyin_does_not_know_changes_nothing():
    # given
    creator = CreatorFactory(douyin_id="ghost_account", followers=5)
    # when
    with pytest.raises(CreatorAccountUnknown):
        services.creator_refresh_account(creator=creator)
    # then
    creator.refresh_from_db()
    assert creator.followers == 5 and creator.eligibility_checked_at is None


def test_creator_profile_update_ignores_account_facts():
    creator = CreatorFactory(followers=10)
    services.creator_update_profile(creator=creator, data={"nickname": "新名字", "followers": 9999})
    creator.refresh_from_db()
    assert (creator.nickname, creator.followers) == ("新名字", 10)


def test_staff_change_in_admin_is_logged_and_rechecks(client):
    # given
    staff = UserFactory(username="ops", is_staff=True, is_superuser=True)
    creator = CreatorFactory(followers=10)
    client.force_login(staff)
    # when
    response = client.post(
        reverse("admin:shops_creator_change", args=[creator.pk]),
        {
            "user": creator.user_id,
            "nickname": creator.nickname,
            "douyin_id": creator.douyin_id,
            "followers": 2000,
            "public_original_videos": creator.public_original_videos,
            "phone_bound": "on",
            "real_name_verified": "on",
            "account_changes-TOTAL_FORMS": "0",
            "account_changes-INITIAL_FORMS": "0",
        },
    )
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    creator.refresh_from_db()
    assert creator.followers == 2000 and creator.has_cart_permission
    change = CreatorAccountChange.objects.get(creator=creator)
    assert (change.field, change.old_value, change.new_value) == ("followers", "10", "2000")
    assert (change.source, change.changed_by) == (AccountChangeSource.STAFF, staff)


def test_the_change_log_is_read_only_in_admin(client):
    # given
    staff = UserFactory(username="ops", is_staff=True, is_superuser=True)
    creator = CreatorFactory(douyin_id="xiaolin_new")
    services.creator_refresh_account(creator=creator)
    change = CreatorAccountChange.objects.filter(creator=creator).first()
    client.force_login(staff)
    # when
    listed = client.get(reverse("admin:shops_creatoraccountchange_changelist"))
    added = client.get(reverse("admin:shops_creatoraccountchange_add"))
    deleted = client.post(
        reverse("admin:shops_creatoraccountchange_delete", args=[change.pk]), {"post": "yes"}
    )
    # then
    assert listed.status_code == 200 and added.status_code == 403
    assert deleted.status_code == 403
    assert CreatorAccountChange.objects.filter(pk=change.pk).exists()
