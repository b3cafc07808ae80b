"""Writes of the video and live carts. Each runs in one transaction under the cart row's
lock (`select_for_update`), so concurrent changes to one cart take turns: two attaches
cannot both take a video's 7th slot, two 讲解 clicks cannot leave two items explained."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import clean_or_raise
from shops.tenancy import ConsoleContext, get_scoped_or_404

from ..exceptions import CartError
from ..live_feed_push import announce, session_room
from ..models import LiveItem
from ..showcase_access import next_position, scoped_item, showcase_creator
from .kinds import LIVE_CART, Cart


def _lock(cart: Cart, context: ConsoleContext, cart_id: int):
    showcase_creator(context)
    return get_scoped_or_404(cart.model.objects.select_for_update(), context, pk=cart_id)


@transaction.atomic
def cart_create(*, cart: Cart, context: ConsoleContext, **fields):
    row = cart.model(creator=showcase_creator(context), **cart.prepare(fields))
    clean_or_raise(row, CartError, unique=True)
    row.save()
    return row


@transaction.atomic
def cart_delete(*, cart: Cart, context: ConsoleContext, cart_id: int) -> None:
    showcase_creator(context)
    get_scoped_or_404(cart.model.objects.all(), context, pk=cart_id).delete()


@transaction.atomic
def cart_add_item(*, cart: Cart, context: ConsoleContext, cart_id: int, item_id: int):
    """Put a showcase item (the creator's own, not 失效) into the cart, within its limit."""
    row = _lock(cart, context, cart_id)
    item = scoped_item(context, item_id)
    if item.is_invalid:
        raise CartError(
            _("“%(title)s”已失效（商品已下架或停止推广），不能挂车。")
            % {"title": item.display_title},
            fields={"item": [_("商品已失效。")]},
        )
    links = cart.links(row)
    attached = list(links.values_list("item_id", flat=True))
    if item.pk in attached:
        raise CartError(
            cart.says("already_in") % {"title": item.display_title},
            fields={"item": [str(cart.says("already_in_short"))]},
        )
    cart.check_room(row, len(attached))
    link = cart.link_model(**{cart.link_field: row}, item=item, position=next_position(links))
    clean_or_raise(link, CartError)
    link.save()
    return link


@transaction.atomic
def cart_remove_item(*, cart: Cart, context: ConsoleContext, cart_id: int, item_id: int) -> None:
    row = _lock(cart, context, cart_id)
    deleted, _rows = cart.links(row).filter(item_id=item_id).delete()
    if not deleted:
        raise Http404


# ---- what only a live cart does: 正在讲解 -----------------------------------------------------


@transaction.atomic
def live_set_explaining(*, context: ConsoleContext, session_id: int, item_id: int) -> LiveItem:
    """Mark one live-cart item 正在讲解; whichever item was being explained stops.

    The session row lock makes concurrent requests take turns, so the clear-then-set
    pair is atomic; the partial unique constraint backs it up in the database."""
    session = _lock(LIVE_CART, context, session_id)
    link = LiveItem.objects.select_related("item__product", "item__offer__product")
    link = link.filter(session=session, item_id=item_id).first()
    if link is None:
        raise Http404
    if link.item.is_invalid:
        raise CartError(_("“%(title)s”已失效，不能讲解。") % {"title": link.item.display_title})
    LiveItem.objects.filter(session=session, is_explaining=True).exclude(pk=link.pk).update(
        is_explaining=False, explaining_since=None
    )
    if not link.is_explaining:
        link.is_explaining = True
        link.explaining_since = timezone.now()
        link.save(update_fields=["is_explaining", "explaining_since"])
    announce([session_room(session.pk)])  # the overlay shows the new 正在讲解 item
    return link


@transaction.atomic
def live_clear_explaining(*, context: ConsoleContext, session_id: int) -> None:
    session = _lock(LIVE_CART, context, session_id)
    LiveItem.objects.filter(session=session, is_explaining=True).update(
        is_explaining=False, explaining_since=None
    )
    announce([session_room(session.pk)])
