"""Pages for buyers (no accounts): a shop's product page, checkout, the pay page and the
order page reached through a signed link, plus the payment provider's callback."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.views import run_form, run_service, submit
from products.models import Product, ProductImage, ProductStatus, Sku

from . import aftersales, rules, services
from .attribution import attribution_read
from .exceptions import CheckoutError
from .forms import AfterSaleForm, CheckoutForm, PayForm, ReturnShipmentForm
from .limits import checkout_throttle, client_of
from .masking import mask_phone
from .models import AfterSale, AfterSaleType, Order
from .payments import payment_callback_handle, payment_simulate

ORDER_LINK_SALT = "orders.buyer"
BUYER_SESSION_KEY = "buyer_id"


def order_token(order: Order) -> str:
    """The secret part of the buyer's order link (/o/<token>/)."""
    return signing.dumps(order.pk, salt=ORDER_LINK_SALT)


def order_link(order: Order) -> str:
    return reverse("buyer:order", args=[order_token(order)])


def _order_or_404(token: str) -> Order:
    try:
        order_id = signing.loads(token, salt=ORDER_LINK_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    return get_object_or_404(Order.objects.select_related("shop"), pk=order_id)


def _buyer(request) -> dict:
    """An anonymous buyer identity kept in the session (there are no buyer accounts)."""
    buyer_id = request.session.get(BUYER_SESSION_KEY)
    if not buyer_id:
        buyer_id = secrets.token_hex(8)
        request.session[BUYER_SESSION_KEY] = buyer_id
    return {"id": buyer_id, "nickname": _("抖音用户%(n)s") % {"n": buyer_id[-4:]}}


def _apply_error(form, exc: DomainError) -> None:
    for field, errors in exc.fields.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
    if not any(field in form.fields for field in exc.fields):
        form.add_error(None, exc.message)


def _product_or_404(product_id: int, **lookup) -> Product:
    images = Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    return get_object_or_404(
        Product.objects.select_related("shop").prefetch_related(images),
        pk=product_id,
        **lookup,
    )


def _buyable_skus(product: Product) -> list[Sku]:
    return list(
        product.skus.filter(is_active=True, price_fen__isnull=False).order_by("price_fen", "pk")
    )


def product_page(request, shop_slug: str, product_id: int):
    """A shop's own product page: buying here has no creator (小店自卖)."""
    product = _product_or_404(product_id, shop__slug=shop_slug)
    skus = _buyable_skus(product)
    return render(
        request,
        "orders/buyer/product.html",
        {
            "product": product,
            "skus": skus,
            "on_sale": product.status == ProductStatus.ON_SALE,
            "min_price_fen": min((s.price_fen for s in skus), default=None),
        },
    )


def checkout(request, product_id: int):
    product = _product_or_404(product_id)
    token = request.GET.get("a", "")
    try:
        attribution = attribution_read(token) if token else None
    except CheckoutError as exc:
        messages.error(request, exc.message)
        return redirect("buyer:checkout", product_id=product.pk)
    skus = _buyable_skus(product)
    if product.status != ProductStatus.ON_SALE or not skus:
        return render(request, "orders/buyer/unavailable.html", {"product": product}, status=410)
    form = CheckoutForm(request.POST or None, skus=skus)
    if request.method == "POST":
        buyer = _buyer(request)
        client = client_of(request, buyer["id"])
        valid = form.is_valid()
        try:
            checkout_throttle(client)  # every attempt counts, valid or not
            if valid:
                order = services.order_place(
                    shop=product.shop,
                    lines=[(form.cleaned_data["sku"], form.cleaned_data["quantity"])],
                    receiver=form.receiver,
                    buyer=buyer,
                    attribution=attribution,
                    buyer_words=form.cleaned_data["buyer_words"],
                    client=client,
                )
                return redirect("buyer:pay", token=order_token(order))
        except DomainError as exc:
            _apply_error(form, exc)
    return render(
        request,
        "orders/buyer/checkout.html",
        {"product": product, "skus": skus, "form": form, "attributed": attribution is not None},
    )


def pay(request, token: str):
    order = _order_or_404(token)
    if not rules.can_pay(order):
        return redirect("buyer:order", token=token)
    form = PayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ran, result = run_service(
            request,
            lambda: payment_simulate(order=order, pay_method=form.cleaned_data["pay_method"]),
        )
        if ran and result.status == 200:
            messages.success(request, _("支付成功，商家将尽快发货。"))
            return redirect("buyer:order", token=token)
        if ran:
            messages.error(request, _("支付失败：%(reason)s") % {"reason": result.message})
    return render(
        request,
        "orders/buyer/pay.html",
        {
            "order": order,
            "token": token,
            "form": form,
            "simulator": settings.PAYMENT_SIMULATOR_ENABLED,
        },
    )


def _order_page_context(order: Order, token: str, aftersale_form=None) -> dict:
    items = list(order.items.all())
    aftersale_list = list(
        AfterSale.objects.filter(order=order).select_related("item").order_by("-created_at")
    )
    open_items = {a.item_id for a in aftersale_list if a.is_open}
    eligible = [i for i in items if rules.aftersale_types_open(i, has_open=i.pk in open_items)]
    return {
        "order": order,
        "token": token,
        "items": items,
        "can_pay": rules.can_pay(order),
        "can_cancel": rules.can_cancel(order),
        "aftersales": [
            {
                "aftersale": a,
                "can_send_return": rules.can_send_return(a),
                "can_withdraw": rules.can_withdraw(a),
            }
            for a in aftersale_list
        ],
        "masked_phone": mask_phone(order.receiver_phone),
        "aftersale_form": (aftersale_form or AfterSaleForm(items=eligible)) if eligible else None,
        "return_form": ReturnShipmentForm(),
        "return_address": order.shop.return_address,
    }


def order_page(request, token: str):
    order = _order_or_404(token)
    return render(request, "orders/buyer/order.html", _order_page_context(order, token))


@require_POST
def order_cancel(request, token: str):
    order = _order_or_404(token)
    run_service(
        request,
        lambda: services.order_cancel(
            order_id=order.pk, reason=_("买家取消"), actor_label=_("买家")
        ),
        success=_("订单已取消。"),
    )
    return redirect("buyer:order", token=token)


@require_POST
def aftersale_open(request, token: str):
    order = _order_or_404(token)
    form = AfterSaleForm(request.POST, items=list(order.items.all()))

    def refused(exc):
        if "refund_fen" in exc.fields:
            exc.fields["amount"] = exc.fields.pop("refund_fen")
        _apply_error(form, exc)

    done = submit(
        request,
        form,
        lambda data: aftersales.aftersale_open(
            item_id=data["item"],
            type=data["type"],
            quantity=data["quantity"],
            refund_fen=0 if data["type"] == AfterSaleType.EXCHANGE else data["amount"],
            reason=data["reason"],
            description=data["description"],
        ),
        success=_("售后申请已提交，请等待商家处理。"),
        on_error=refused,
        to=reverse("buyer:order", args=[token]),
    )
    return done or render(
        request, "orders/buyer/order.html", _order_page_context(order, token, form), status=400
    )


def _own_aftersale(token: str, aftersale_id: int) -> AfterSale:
    """The after-sale of the order behind `token` (404 for another order's)."""
    return get_object_or_404(AfterSale, pk=aftersale_id, order=_order_or_404(token))


@require_POST
def aftersale_return(request, token: str, aftersale_id: int):
    aftersale = _own_aftersale(token, aftersale_id)
    run_form(
        request,
        ReturnShipmentForm(request.POST),
        lambda data: aftersales.aftersale_buyer_return(aftersale_id=aftersale.pk, **data),
        success=_("退货信息已提交，等待商家收货。"),
        invalid=_("请填写退货快递公司和运单号。"),
    )
    return redirect("buyer:order", token=token)


@require_POST
def aftersale_cancel(request, token: str, aftersale_id: int):
    aftersale = _own_aftersale(token, aftersale_id)
    run_service(
        request,
        lambda: aftersales.aftersale_cancel(aftersale_id=aftersale.pk),
        success=_("售后申请已撤销。"),
    )
    return redirect("buyer:order", token=token)


@csrf_exempt
@require_POST
def payment_callback(request):
    """The payment provider's callback; see orders.payments for the signature."""
    result = payment_callback_handle(
        body=request.body,
        timestamp=request.headers.get("X-Pay-Timestamp"),
        signature=request.headers.get("X-Pay-Signature"),
    )
    return JsonResponse({"result": result.message}, status=result.status)
