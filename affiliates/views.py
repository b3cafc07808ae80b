"""Console pages: 精选联盟 for merchants; 我的橱窗 and 选品广场 for creators; and the
public showcase page buyers see. The 视频 and 直播 carts are `affiliates.carts.views`."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import views as core_views
from core.bounds import MAX_ID, parse_int
from core.exceptions import DomainError
from core.filters import chosen
from core.views import bound_form, form_page, numbered_page, run_form, run_service, submit
from shops.roles import Perm
from shops.tenancy import ContextKind, get_scoped_or_404
from shops.views import console_view

from . import selectors, services
from .filters import MarketFilter, OfferFilter, ShowcaseItemFilter
from .forms import (
    AddByLinkForm,
    OfferOpenForm,
    OfferUpdateForm,
    ShowcaseCategoryForm,
)
from .models import AllianceOffer, OfferStatus

MARKET_PAGE_SIZE = 20


def refused(call):
    """`call` with full_clean's ValidationError (the showcase and offer services let it
    out, their tests assert it) raised as a DomainError, for `run_service` to show."""

    def wrapped(*args, **kwargs):
        try:
            return call(*args, **kwargs)
        except ValidationError as exc:
            fields = exc.message_dict if hasattr(exc, "error_dict") else {}
            raise DomainError("；".join(exc.messages), fields=fields) from exc

    return wrapped


def button(service, **options):
    """`core.views.button`, full_clean's refusals shown like the services' own."""
    return core_views.button(refused(service), **options)


# ---- merchant: 精选联盟 -------------------------------------------------------------------


@console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)
def alliance(request):
    context = request.console
    products = selectors.openable_products(context=context)
    form = bound_form(request, OfferOpenForm, products=products)
    done = submit(
        request,
        form,
        refused(
            lambda data: services.alliance_offer_open(
                context=context,
                product_id=data["product"].pk,
                rate_bp=data["rate_bp"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        ),
        success=lambda offer: _("“%(title)s”已加入精选联盟。") % {"title": offer.product.title},
        to="affiliates:alliance",
    )
    if done:
        return done
    offers = OfferFilter(request.GET, queryset=selectors.offer_list(context=context))
    status = chosen(offers, "status")
    return render(
        request,
        "affiliates/alliance.html",
        {
            "form": form,
            "offers": offers.qs,
            "status": "" if status is None else str(status),
            "statuses": OfferStatus.choices,
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)
def alliance_detail(request, offer_id: int):
    context = request.console
    offer = get_scoped_or_404(AllianceOffer.objects.select_related("product"), context, pk=offer_id)
    initial = {
        "rate_bp": offer.rate_bp / 100,
        "starts_on": offer.starts_on,
        "ends_on": offer.ends_on,
    }
    return form_page(
        request,
        bound_form(request, OfferUpdateForm, initial=initial),
        refused(
            lambda data: services.alliance_offer_update(context=context, offer_id=offer.pk, **data)
        ),
        success=_("已保存。新佣金率只对此后的新订单生效。"),
        to=reverse("affiliates:alliance_detail", args=[offer.pk]),
        template="affiliates/alliance_detail.html",
        context={
            "offer": offer,
            "rates": selectors.offer_rate_history(context=context, offer=offer),
            "events": offer.events.select_related("actor"),
        },
    )


alliance_close = console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)(
    button(
        services.alliance_offer_close,
        success=gettext_lazy("已停止推广，达人橱窗中的该商品将显示为失效。"),
        to="affiliates:alliance_detail",
        keep=("offer_id",),
    )
)


@console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)
@require_POST
def alliance_reopen(request, offer_id: int):
    context = request.console
    offer = get_scoped_or_404(AllianceOffer.objects.all(), context, pk=offer_id)
    run_service(
        request,
        refused(
            lambda: services.alliance_offer_open(
                context=context,
                product_id=offer.product_id,
                rate_bp=offer.rate_bp,
                starts_on=offer.starts_on,
                ends_on=offer.ends_on,
            )
        ),
        success=_("已重新开放推广。"),
    )
    return redirect("affiliates:alliance_detail", offer_id=offer_id)


# ---- creator: the showcase --------------------------------------------------------------------


def showcase_view(view):
    """A creator page that needs the showcase: without the cart permission it shows the
    unmet conditions instead."""

    @console_view(ContextKind.CREATOR)
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        unmet = selectors.showcase_unmet(request.console.creator)
        if unmet:
            return render(request, "affiliates/unavailable.html", {"unmet": unmet}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@showcase_view
def showcase(request):
    context = request.console
    items = ShowcaseItemFilter(request.GET, queryset=selectors.showcase_items(context=context))
    category_id = chosen(items, "category")
    return render(
        request,
        "affiliates/showcase.html",
        {
            "items": items.qs,
            "categories": selectors.showcase_categories(context=context),
            "category_id": category_id,
            "category_form": ShowcaseCategoryForm(),
        },
    )


@showcase_view
def showcase_add(request):
    context = request.console
    return form_page(
        request,
        bound_form(request, AddByLinkForm),
        refused(lambda data: services.showcase_add_from_link(context=context, text=data["text"])),
        success=lambda item: (
            _("已加入橱窗：%(title)s（%(source)s）")
            % {"title": item.display_title, "source": item.get_source_display()}
        ),
        to="affiliates:showcase",
        template="affiliates/showcase_add.html",
        context={"own_products": selectors.own_shop_products(context=context)},
    )


def showcase_button(service, success, *, to: str = "affiliates:showcase"):
    """A showcase page's POST `button`, back to 我的橱窗 unless `to` names another page."""
    return showcase_view(button(service, success=success, to=to))


showcase_add_shop = showcase_button(
    services.showcase_add_from_shop, gettext_lazy("已加入橱窗。"), to="affiliates:showcase_add"
)


@showcase_view
@require_POST
def showcase_item_update(request, item_id: int):
    changes = {}
    if "category" in request.POST:
        raw = request.POST["category"]
        changes["category_id"] = parse_int(raw, maximum=MAX_ID)
    for flag in ("recommended", "is_new"):
        if flag in request.POST:
            changes[flag] = request.POST[flag] == "1"
    run_service(
        request,
        refused(
            lambda: services.showcase_item_update(
                context=request.console, item_id=item_id, **changes
            )
        ),
        success=_("已更新。"),
    )
    return redirect("affiliates:showcase")


@showcase_view
@require_POST
def showcase_item_move(request, item_id: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404
    services.showcase_item_move(context=request.console, item_id=item_id, direction=direction)
    return redirect("affiliates:showcase")


showcase_item_remove = showcase_button(
    services.showcase_item_remove, gettext_lazy("已从橱窗移除。")
)


@showcase_view
@require_POST
def showcase_category_add(request):
    run_form(
        request,
        ShowcaseCategoryForm(request.POST),
        refused(
            lambda data: services.showcase_category_create(
                context=request.console, name=data["name"]
            )
        ),
        success=_("分类已添加。"),
        invalid=_("分类名称需为 1–12 个字。"),
    )
    return redirect("affiliates:showcase")


showcase_category_delete = showcase_button(
    services.showcase_category_delete, gettext_lazy("分类已删除，其中的商品保留在橱窗中。")
)


# ---- creator: 选品广场 ------------------------------------------------------------------------


@showcase_view
def market(request):
    offers = MarketFilter(
        request.GET, queryset=selectors.market_offers(creator=request.console.creator)
    )
    page = numbered_page(request, offers.qs, MARKET_PAGE_SIZE)
    return render(request, "affiliates/market.html", {"form": offers.form, "page": page})


@showcase_view
@require_POST
def market_add(request, offer_id: int):
    run_service(
        request,
        refused(
            lambda: services.showcase_add_from_alliance(context=request.console, offer_id=offer_id)
        ),
        success=_("已加入橱窗。"),
    )
    # Back to the same filtered page; only the query string comes from the form.
    query = request.POST.get("query", "")
    return redirect(reverse("affiliates:market") + (f"?{query}" if query else ""))


# ---- public ------------------------------------------------------------------------------


def public_showcase(request, douyin_id: str):
    creator, categories, items = selectors.public_showcase(douyin_id=douyin_id)
    items = ShowcaseItemFilter(request.GET, queryset=items)
    category_id = chosen(items, "category")
    return render(
        request,
        "affiliates/public_showcase.html",
        {
            "creator": creator,
            "categories": categories,
            "items": items.qs,
            "category_id": category_id,
        },
    )


def public_item(request, douyin_id: str, item_id: int):
    creator, _categories, items = selectors.public_showcase(douyin_id=douyin_id)
    item = items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return render(request, "affiliates/public_item.html", {"creator": creator, "item": item})
