"""Console pages of the video and live carts: one set of views for both, told which cart
by their URL (`affiliates.carts.urls`)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.views import bound_form, form_page, run_service
from shops.tenancy import get_scoped_or_404

from .. import selectors
from ..forms import LiveForm, PickItemForm, VideoForm
from ..views import button, showcase_view
from . import services
from .kinds import LIVE_CART, VIDEO_CART, Cart

FORMS = {VIDEO_CART: VideoForm, LIVE_CART: LiveForm}


@showcase_view
def cart_list(request, *, cart: Cart):
    context = request.console
    return form_page(
        request,
        bound_form(request, FORMS[cart]),
        lambda data: services.cart_create(cart=cart, context=context, **data),
        success=cart.says("created"),
        to=lambda row: reverse(cart.detail_url, args=[row.pk]),
        template=f"affiliates/{cart.name}.html",
        context={"cart": cart, "rows": selectors.cart_list(cart=cart, context=context)},
    )


@showcase_view
def cart_detail(request, *, cart: Cart, **ids):
    context = request.console
    row = get_scoped_or_404(cart.model.objects.all(), context, pk=ids[cart.id_kwarg])
    links = list(selectors.cart_links(cart=cart, row=row))
    candidates = selectors.attachable_items(
        context=context, exclude_ids=[link.item_id for link in links]
    )
    return form_page(
        request,
        bound_form(request, PickItemForm, items=candidates),
        lambda data: services.cart_add_item(
            cart=cart, context=context, cart_id=row.pk, item_id=data["item"]
        ),
        success=cart.says("added"),
        to=reverse(cart.detail_url, args=[row.pk]),
        template=f"affiliates/{cart.template_prefix}_detail.html",
        # Also under the kind's own name (`video`, `session`) for its template.
        context={"cart": cart, "row": row, cart.link_field: row, "links": links},
    )


@showcase_view
@require_POST
def cart_remove(request, item_id: int, *, cart: Cart, **ids):
    cart_id = ids[cart.id_kwarg]
    run_service(
        request,
        lambda: services.cart_remove_item(
            cart=cart, context=request.console, cart_id=cart_id, item_id=item_id
        ),
        success=cart.says("removed"),
    )
    return redirect(cart.detail_url, cart_id)


@showcase_view
@require_POST
def cart_delete(request, *, cart: Cart, **ids):
    run_service(
        request,
        lambda: services.cart_delete(
            cart=cart, context=request.console, cart_id=ids[cart.id_kwarg]
        ),
        success=cart.says("deleted"),
    )
    return redirect(cart.list_url)


# ---- what only a live cart has: 正在讲解 ------------------------------------------------------


def _live_button(service, success):
    return showcase_view(
        button(service, success=success, to=LIVE_CART.detail_url, keep=("session_id",))
    )


lives_explain = _live_button(services.live_set_explaining, _("已设为正在讲解。"))
lives_unexplain = _live_button(services.live_clear_explaining, _("已取消讲解。"))
