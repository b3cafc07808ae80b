"""精选联盟 offers, carts and 提现 in /admin/: every change goes through the services."""

import pytest
from django.urls import reverse

from affiliates.factories import (
    AllianceOfferFactory,
    ExternalItemFactory,
    LiveSessionFactory,
    VideoFactory,
    VideoItemFactory,
)
from affiliates.ledger.models import LedgerEntry, Withdrawal, WithdrawalStatus
from affiliates.ledger.withdrawals import withdrawable_fen, withdrawal_request
from affiliates.models import (
    VIDEO_MAX_ITEMS,
    AllianceOffer,
    AllianceOfferEvent,
    AllianceRate,
    LiveItem,
    OfferStatus,
    VideoItem,
)
from tests.core.admin_support import change_form_data, messages_of, post_action

pytestmark = pytest.mark.django_db


# ---- 精选联盟 offers ------------------------------------------------------------------------


def test_close_action_ends_the_offer_and_records_who(admin_client, admin_user):
    # given
    offer = AllianceOfferFactory()
    # when
    response = post_action(admin_client, AllianceOffer, "close", [offer])
    # then
    assert AllianceOffer.objects.get(pk=offer.pk).status == OfferStatus.CLOSED
    event = AllianceOfferEvent.objects.get(offer=offer)
    assert (event.from_status, event.to_status, event.actor) == (
        OfferStatus.OPEN,
        OfferStatus.CLOSED,
        admin_user,
    )
    assert "已处理 1 个推广商品。" in messages_of(response)


def test_reopen_action_opens_a_closed_offer_again(admin_client, admin_user):
    # given
    offer = AllianceOfferFactory()
    post_action(admin_client, AllianceOffer, "close", [offer])
    # when
    post_action(admin_client, AllianceOffer, "reopen", [offer])
    # then
    assert AllianceOffer.objects.get(pk=offer.pk).status == OfferStatus.OPEN
    event = AllianceOfferEvent.objects.filter(offer=offer).latest("pk")
    assert (event.to_status, event.actor) == (OfferStatus.OPEN, admin_user)


def test_reopen_of_an_open_offer_is_refused_by_name(admin_client):
    # given
    offer = AllianceOfferFactory()
    # when
    response = post_action(admin_client, AllianceOffer, "reopen", [offer])
    # then
    assert any("已在精选联盟推广中" in m for m in messages_of(response))
    assert not AllianceOfferEvent.objects.filter(offer=offer).exists()


def test_a_rate_changed_in_the_change_form_is_recorded_in_the_history(admin_client, admin_user):
    # given
    offer = AllianceOfferFactory(rate_bp=2000)
    url = reverse("admin:affiliates_allianceoffer_change", args=[offer.pk])
    data = change_form_data(admin_client, url)
    # when
    response = admin_client.post(url, {**data, "rate_bp": "3500"})
    # then
    assert response.status_code == 302
    assert AllianceOffer.objects.get(pk=offer.pk).rate_bp == 3500
    latest = AllianceRate.objects.filter(offer=offer).latest("pk")
    assert (latest.rate_bp, latest.set_by) == (3500, admin_user)


def test_a_superuser_cannot_edit_an_offers_status(admin_client):
    # given
    offer = AllianceOfferFactory()
    url = reverse("admin:affiliates_allianceoffer_change", args=[offer.pk])
    data = change_form_data(admin_client, url)
    # when
    admin_client.post(url, {**data, "status": str(OfferStatus.CLOSED)})
    # then
    assert "status" not in data
    assert AllianceOffer.objects.get(pk=offer.pk).status == OfferStatus.OPEN
    assert not AllianceOfferEvent.objects.filter(offer=offer).exists()


# ---- video and live carts --------------------------------------------------------------------


def _post_cart(admin_client, row, *, add=(), delete=()):
    """Save `row`'s change form with showcase items added to and links deleted from its
    cart inline."""
    name = row._meta.model_name
    url = reverse(f"admin:affiliates_{name}_change", args=[row.pk])
    data = change_form_data(admin_client, url)
    for link in delete:
        prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(link.pk))
        data[prefix.removesuffix("-id") + "-DELETE"] = "on"
    total = int(data["items-TOTAL_FORMS"])
    for n, item in enumerate(add, start=total):
        data[f"items-{n}-item"] = str(item.pk)
    data["items-TOTAL_FORMS"] = str(total + len(add))
    return admin_client.post(url, data, follow=True)


def test_an_item_added_in_the_video_inline_goes_through_the_cart_service(admin_client):
    # given
    video = VideoFactory()
    VideoItemFactory(video=video)
    item = ExternalItemFactory(creator=video.creator)
    # when
    _post_cart(admin_client, video, add=[item])
    # then
    link = VideoItem.objects.get(video=video, item=item)
    assert link.position == 1 + VideoItem.objects.exclude(pk=link.pk).get(video=video).position


def test_a_video_cart_inline_over_7_items_is_refused(admin_client):
    # given
    video = VideoFactory(title="夏日好物")
    for _n in range(VIDEO_MAX_ITEMS):
        VideoItemFactory(video=video)
    item = ExternalItemFactory(creator=video.creator)
    # when
    response = _post_cart(admin_client, video, add=[item])
    # then
    assert response.status_code == 200
    assert any("每个视频最多挂 7 件商品" in m for m in messages_of(response))
    assert VideoItem.objects.filter(video=video).count() == VIDEO_MAX_ITEMS
    assert not VideoItem.objects.filter(item=item).exists()


def test_one_save_may_swap_an_item_of_a_full_video(admin_client):
    # given
    video = VideoFactory()
    links = [VideoItemFactory(video=video) for _n in range(VIDEO_MAX_ITEMS)]
    item = ExternalItemFactory(creator=video.creator)
    # when: the removal is applied first, so the addition finds room
    _post_cart(admin_client, video, add=[item], delete=[links[0]])
    # then
    kept = set(VideoItem.objects.filter(video=video).values_list("item_id", flat=True))
    assert kept == {link.item_id for link in links[1:]} | {item.pk}


def test_an_item_of_another_creators_showcase_is_refused(admin_client):
    # given
    video = VideoFactory()
    stranger = ExternalItemFactory()
    # when
    response = _post_cart(admin_client, video, add=[stranger])
    # then
    assert "只能挂这位达人橱窗里的商品。" in messages_of(response)
    assert not VideoItem.objects.filter(video=video).exists()


def test_live_cart_inline_adds_and_removes_through_the_cart_service(admin_client):
    # given
    session = LiveSessionFactory()
    first, second = (ExternalItemFactory(creator=session.creator) for _n in range(2))
    _post_cart(admin_client, session, add=[first])
    link = LiveItem.objects.get(session=session)
    # when
    _post_cart(admin_client, session, add=[second], delete=[link])
    # then
    assert list(LiveItem.objects.filter(session=session).values_list("item", flat=True)) == [
        second.pk
    ]


def test_explaining_is_read_only_in_the_live_inline(admin_client):
    session = LiveSessionFactory()
    _post_cart(admin_client, session, add=[ExternalItemFactory(creator=session.creator)])
    url = reverse("admin:affiliates_livesession_change", args=[session.pk])
    data = change_form_data(admin_client, url)
    assert "items-0-item" not in data  # the item of a link is fixed
    assert not any(name.endswith("is_explaining") for name in data)


# ---- 提现 --------------------------------------------------------------------------------------


def test_pay_action_pays_and_writes_the_entry(
    admin_client, admin_user, settled_creator, creator_context
):
    # given
    request = withdrawal_request(
        context=creator_context(settled_creator), amount_fen=500, account="622202******1234"
    )
    # when
    response = post_action(admin_client, Withdrawal, "pay", [request])
    # then
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (WithdrawalStatus.PAID, admin_user)
    assert LedgerEntry.objects.filter(withdrawal=request).latest("pk").actor == admin_user
    assert "已处理 1 笔提现。" in messages_of(response)


def test_reject_action_returns_the_amount_and_a_decided_one_is_refused(
    admin_client, settled_creator, creator_context
):
    # given
    request = withdrawal_request(
        context=creator_context(settled_creator), amount_fen=500, account="622202******1234"
    )
    before = withdrawable_fen(settled_creator.pk)
    # when
    post_action(admin_client, Withdrawal, "reject", [request], reject_reason="账户不符")
    again = post_action(admin_client, Withdrawal, "pay", [request])
    # then
    request.refresh_from_db()
    assert (request.status, request.reject_reason) == (WithdrawalStatus.REJECTED, "账户不符")
    assert withdrawable_fen(settled_creator.pk) == before + 500
    assert any(m.startswith(f"{request}：") for m in messages_of(again))
    assert Withdrawal.objects.get(pk=request.pk).status == WithdrawalStatus.REJECTED
