"""Cart invariants under real concurrent transactions on PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from affiliates import services
from affiliates.exceptions import VideoCartFull
from affiliates.factories import (
    ExternalItemFactory,
    LiveItemFactory,
    LiveSessionFactory,
    VideoFactory,
    VideoItemFactory,
)
from affiliates.models import LiveItem

from ..concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_explaining_requests_leave_exactly_one(showcase_creator, creator_context):
    # given: a live cart of two items
    session = LiveSessionFactory(creator=showcase_creator)
    first, second = LiveItemFactory(session=session), LiveItemFactory(session=session)
    context = creator_context(showcase_creator)
    # when: both are marked 正在讲解 at the same moment
    outcomes = run_together(
        [
            lambda: services.live_set_explaining(
                context=context, session_id=session.pk, item_id=first.item_id
            ),
            lambda: services.live_set_explaining(
                context=context, session_id=session.pk, item_id=second.item_id
            ),
        ]
    )
    # then: both requests succeed, one after the other, and one item is explained
    assert outcomes == [None, None]
    assert LiveItem.objects.filter(session=session, is_explaining=True).count() == 1


def test_the_database_refuses_two_explaining_items_in_one_live(showcase_creator):
    # given
    session = LiveSessionFactory(creator=showcase_creator)
    LiveItemFactory(session=session, is_explaining=True)
    other = ExternalItemFactory(creator=showcase_creator)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveItem.objects.create(session=session, item=other, is_explaining=True)


def test_two_concurrent_attaches_cannot_both_take_the_seventh_slot(
    showcase_creator, creator_context
):
    # given: a video with six items and two more showcase items
    video = VideoFactory(creator=showcase_creator)
    for _ in range(6):
        VideoItemFactory(video=video)
    a, b = (
        ExternalItemFactory(creator=showcase_creator),
        ExternalItemFactory(creator=showcase_creator),
    )
    context = creator_context(showcase_creator)
    # when
    outcomes = run_together(
        [
            lambda item=item: services.video_attach_item(
                context=context, video_id=video.pk, item_id=item.pk
            )
            for item in (a, b)
        ]
    )
    # then
    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "VideoCartFull"]
    assert any(isinstance(o, VideoCartFull) for o in outcomes)
    assert video.items.count() == 7
