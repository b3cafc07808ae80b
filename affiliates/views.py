"""Console pages: 精选联盟 for merchants; 我的橱窗, 选品广场, 视频 and 直播 for creators;
and the public showcase page buyers see."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from shops.roles import Perm
from shops.tenancy import ContextKind, get_scoped_or_404
from shops.views import console_view

from . import selectors, services
from .forms import (
    AddByLinkForm,
    LiveForm,
    MarketFilterForm,
    OfferOpenForm,
    OfferUpdateForm,
    PickItemForm,
    ShowcaseCategoryForm,
    VideoForm,
)
from .models import VIDEO_MAX_ITEMS, AllianceOffer, LiveSession, OfferStatus, Video

MARKET_PAGE_SIZE = 20


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc.message)


def _attempt(request, call, success: str) -> bool:
    """Run a service for a POST button; flash its outcome."""
    try:
        call()
    except (DomainError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return False
    messages.success(request, success)
    return True


def _form_attempt(form, call):
    """Run a service for a form; its refusal becomes a form error. The result or None."""
    try:
        return call()
    except DomainError as exc:
        form.add_error(None, exc.message)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    return None


# ---- merchant: 精选联盟 -------------------------------------------------------------------


@console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)
def alliance(request):
    context = request.console
    products = selectors.openable_products(context=context)
    form = OfferOpenForm(products=products)
    if request.method == "POST":
        form = OfferOpenForm(request.POST, products=products)
        if form.is_valid():
            data = form.cleaned_data
            offer = _form_attempt(
                form,
                lambda: services.alliance_offer_open(
                    context=context,
                    product_id=data["product"].pk,
                    rate_bp=data["rate_bp"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                ),
            )
            if offer is not None:
                messages.success(
                    request, _("“%(title)s”已加入精选联盟。") % {"title": offer.product.title}
                )
                return redirect("affiliates:alliance")
    status = request.GET.get("status", "")
    offers = selectors.offer_list(context=context, status=int(status) if status.isdigit() else None)
    return render(
        request,
        "affiliates/alliance.html",
        {"form": form, "offers": offers, "status": status, "statuses": OfferStatus.choices},
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
    form = OfferUpdateForm(initial=initial)
    if request.method == "POST":
        form = OfferUpdateForm(request.POST)
        if form.is_valid() and _form_attempt(
            form,
            lambda: services.alliance_offer_update(
                context=context, offer_id=offer.pk, **form.cleaned_data
            ),
        ):
            messages.success(request, _("已保存。新佣金率只对此后的新订单生效。"))
            return redirect("affiliates:alliance_detail", offer_id=offer.pk)
    return render(
        request,
        "affiliates/alliance_detail.html",
        {
            "offer": offer,
            "form": form,
            "rates": selectors.offer_rate_history(context=context, offer=offer),
            "events": offer.events.select_related("actor"),
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)
@require_POST
def alliance_close(request, offer_id: int):
    _attempt(
        request,
        lambda: services.alliance_offer_close(context=request.console, offer_id=offer_id),
        _("已停止推广，达人橱窗中的该商品将显示为失效。"),
    )
    return redirect("affiliates:alliance_detail", offer_id=offer_id)


@console_view(ContextKind.SHOP, perm=Perm.ALLIANCE_MANAGE)
@require_POST
def alliance_reopen(request, offer_id: int):
    context = request.console
    offer = get_scoped_or_404(AllianceOffer.objects.all(), context, pk=offer_id)
    _attempt(
        request,
        lambda: services.alliance_offer_open(
            context=context,
            product_id=offer.product_id,
            rate_bp=offer.rate_bp,
            starts_on=offer.starts_on,
            ends_on=offer.ends_on,
        ),
        _("已重新开放推广。"),
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
    category_id = request.GET.get("category", "")
    category_id = int(category_id) if category_id.isdigit() else None
    items = selectors.showcase_items(context=context, category_id=category_id)
    return render(
        request,
        "affiliates/showcase.html",
        {
            "items": items,
            "categories": selectors.showcase_categories(context=context),
            "category_id": category_id,
            "category_form": ShowcaseCategoryForm(),
        },
    )


@showcase_view
def showcase_add(request):
    context = request.console
    form = AddByLinkForm()
    if request.method == "POST":
        form = AddByLinkForm(request.POST)
        if form.is_valid():
            item = _form_attempt(
                form,
                lambda: services.showcase_add_from_link(
                    context=context, text=form.cleaned_data["text"]
                ),
            )
            if item is not None:
                messages.success(
                    request,
                    _("已加入橱窗：%(title)s（%(source)s）")
                    % {"title": item.display_title, "source": item.get_source_display()},
                )
                return redirect("affiliates:showcase")
    return render(
        request,
        "affiliates/showcase_add.html",
        {"form": form, "own_products": selectors.own_shop_products(context=context)},
    )


@showcase_view
@require_POST
def showcase_add_shop(request, product_id: int):
    _attempt(
        request,
        lambda: services.showcase_add_from_shop(context=request.console, product_id=product_id),
        _("已加入橱窗。"),
    )
    return redirect("affiliates:showcase_add")


@showcase_view
@require_POST
def showcase_item_update(request, item_id: int):
    changes = {}
    if "category" in request.POST:
        raw = request.POST["category"]
        changes["category_id"] = int(raw) if raw.isdigit() else None
    for flag in ("recommended", "is_new"):
        if flag in request.POST:
            changes[flag] = request.POST[flag] == "1"
    _attempt(
        request,
        lambda: services.showcase_item_update(context=request.console, item_id=item_id, **changes),
        _("已更新。"),
    )
    return redirect("affiliates:showcase")


@showcase_view
@require_POST
def showcase_item_move(request, item_id: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404
    services.showcase_item_move(context=request.console, item_id=item_id, direction=direction)
    return redirect("affiliates:showcase")


@showcase_view
@require_POST
def showcase_item_remove(request, item_id: int):
    _attempt(
        request,
        lambda: services.showcase_item_remove(context=request.console, item_id=item_id),
        _("已从橱窗移除。"),
    )
    return redirect("affiliates:showcase")


@showcase_view
@require_POST
def showcase_category_add(request):
    form = ShowcaseCategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("分类名称需为 1–12 个字。"))
    else:
        _attempt(
            request,
            lambda: services.showcase_category_create(
                context=request.console, name=form.cleaned_data["name"]
            ),
            _("分类已添加。"),
        )
    return redirect("affiliates:showcase")


@showcase_view
@require_POST
def showcase_category_delete(request, category_id: int):
    _attempt(
        request,
        lambda: services.showcase_category_delete(context=request.console, category_id=category_id),
        _("分类已删除，其中的商品保留在橱窗中。"),
    )
    return redirect("affiliates:showcase")


# ---- creator: 选品广场 ------------------------------------------------------------------------


@showcase_view
def market(request):
    form = MarketFilterForm(request.GET or None)
    offers = selectors.market_offers(creator=request.console.creator, filters=form.filters())
    page = Paginator(offers, MARKET_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "affiliates/market.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@showcase_view
@require_POST
def market_add(request, offer_id: int):
    _attempt(
        request,
        lambda: services.showcase_add_from_alliance(context=request.console, offer_id=offer_id),
        _("已加入橱窗。"),
    )
    # Back to the same filtered page; only the query string comes from the form.
    query = request.POST.get("query", "")
    return redirect(reverse("affiliates:market") + (f"?{query}" if query else ""))


# ---- creator: 视频 ------------------------------------------------------------------------


@showcase_view
def videos(request):
    context = request.console
    form = VideoForm()
    if request.method == "POST":
        form = VideoForm(request.POST)
        if form.is_valid():
            video = _form_attempt(
                form, lambda: services.video_create(context=context, **form.cleaned_data)
            )
            if video is not None:
                messages.success(request, _("视频已添加，可以挂车了。"))
                return redirect("affiliates:videos_detail", video_id=video.pk)
    return render(
        request,
        "affiliates/videos.html",
        {"videos": selectors.video_list(context=context), "form": form, "max": VIDEO_MAX_ITEMS},
    )


@showcase_view
def videos_detail(request, video_id: int):
    context = request.console
    video = get_scoped_or_404(Video.objects.all(), context, pk=video_id)
    links = list(selectors.video_items(video=video))
    candidates = selectors.attachable_items(
        context=context, exclude_ids=[link.item_id for link in links]
    )
    form = PickItemForm(items=candidates)
    if request.method == "POST":
        form = PickItemForm(request.POST, items=candidates)
        if form.is_valid() and _form_attempt(
            form,
            lambda: services.video_attach_item(
                context=context, video_id=video.pk, item_id=form.cleaned_data["item"]
            ),
        ):
            messages.success(request, _("已挂车。"))
            return redirect("affiliates:videos_detail", video_id=video.pk)
    return render(
        request,
        "affiliates/video_detail.html",
        {"video": video, "links": links, "form": form, "max": VIDEO_MAX_ITEMS},
    )


@showcase_view
@require_POST
def videos_detach(request, video_id: int, item_id: int):
    _attempt(
        request,
        lambda: services.video_detach_item(
            context=request.console, video_id=video_id, item_id=item_id
        ),
        _("已从视频购物车移除。"),
    )
    return redirect("affiliates:videos_detail", video_id=video_id)


@showcase_view
@require_POST
def videos_delete(request, video_id: int):
    _attempt(
        request,
        lambda: services.video_delete(context=request.console, video_id=video_id),
        _("视频已删除。"),
    )
    return redirect("affiliates:videos")


# ---- creator: 直播 ------------------------------------------------------------------------


@showcase_view
def lives(request):
    context = request.console
    form = LiveForm()
    if request.method == "POST":
        form = LiveForm(request.POST)
        if form.is_valid():
            session = _form_attempt(
                form, lambda: services.live_create(context=context, **form.cleaned_data)
            )
            if session is not None:
                messages.success(request, _("直播已创建，从橱窗挑选商品上架吧。"))
                return redirect("affiliates:lives_detail", session_id=session.pk)
    return render(
        request,
        "affiliates/lives.html",
        {"sessions": selectors.live_list(context=context), "form": form},
    )


@showcase_view
def lives_detail(request, session_id: int):
    context = request.console
    session = get_scoped_or_404(LiveSession.objects.all(), context, pk=session_id)
    links = list(selectors.live_items(session=session))
    candidates = selectors.attachable_items(
        context=context, exclude_ids=[link.item_id for link in links]
    )
    form = PickItemForm(items=candidates)
    if request.method == "POST":
        form = PickItemForm(request.POST, items=candidates)
        if form.is_valid() and _form_attempt(
            form,
            lambda: services.live_add_item(
                context=context, session_id=session.pk, item_id=form.cleaned_data["item"]
            ),
        ):
            messages.success(request, _("已加入直播购物车。"))
            return redirect("affiliates:lives_detail", session_id=session.pk)
    return render(
        request,
        "affiliates/live_detail.html",
        {"session": session, "links": links, "form": form},
    )


@showcase_view
@require_POST
def lives_explain(request, session_id: int, item_id: int):
    _attempt(
        request,
        lambda: services.live_set_explaining(
            context=request.console, session_id=session_id, item_id=item_id
        ),
        _("已设为正在讲解。"),
    )
    return redirect("affiliates:lives_detail", session_id=session_id)


@showcase_view
@require_POST
def lives_unexplain(request, session_id: int):
    _attempt(
        request,
        lambda: services.live_clear_explaining(context=request.console, session_id=session_id),
        _("已取消讲解。"),
    )
    return redirect("affiliates:lives_detail", session_id=session_id)


@showcase_view
@require_POST
def lives_remove(request, session_id: int, item_id: int):
    _attempt(
        request,
        lambda: services.live_remove_item(
            context=request.console, session_id=session_id, item_id=item_id
        ),
        _("已从直播购物车移除。"),
    )
    return redirect("affiliates:lives_detail", session_id=session_id)


@showcase_view
@require_POST
def lives_delete(request, session_id: int):
    _attempt(
        request,
        lambda: services.live_delete(context=request.console, session_id=session_id),
        _("直播已删除。"),
    )
    return redirect("affiliates:lives")


# ---- public ------------------------------------------------------------------------------


def public_showcase(request, douyin_id: str):
    creator, categories, items = selectors.public_showcase(douyin_id=douyin_id)
    category_id = request.GET.get("category", "")
    if category_id.isdigit():
        items = items.filter(category_id=int(category_id))
    return render(
        request,
        "affiliates/public_showcase.html",
        {
            "creator": creator,
            "categories": categories,
            "items": items,
            "category_id": int(category_id) if category_id.isdigit() else None,
        },
    )


def public_item(request, douyin_id: str, item_id: int):
    creator, _categories, items = selectors.public_showcase(douyin_id=douyin_id)
    item = items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return render(request, "affiliates/public_item.html", {"creator": creator, "item": item})
