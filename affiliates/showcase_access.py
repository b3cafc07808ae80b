"""Who may write to a showcase, and which of its rows they reach: shared by the showcase
services and the cart services (`affiliates.carts`)."""

from django.db.models import Max
from django.http import Http404

from shops.tenancy import ConsoleContext, ContextKind, get_scoped_or_404

from .exceptions import ShowcaseUnavailable
from .models import ShowcaseItem
from .selectors import showcase_unmet


def showcase_creator(context: ConsoleContext):
    """The creator acting, if they have a showcase; else every unmet condition."""
    if context.kind != ContextKind.CREATOR:
        raise Http404
    unmet = showcase_unmet(context.creator)
    if unmet:
        raise ShowcaseUnavailable(unmet)
    return context.creator


def next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def scoped_item(context: ConsoleContext, item_id: int, *, lock=False) -> ShowcaseItem:
    queryset = ShowcaseItem.objects.select_related("product", "offer__product")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return get_scoped_or_404(queryset, context, pk=item_id)
