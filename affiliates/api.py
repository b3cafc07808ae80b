"""API for the showcase, its carts and 选品广场 (as a creator) and for 精选联盟 offers
(as a merchant). Same services as the console."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shops.api import ConsoleAPIMixin, ShopReadViewSet, valid_body, valid_patch
from shops.roles import Perm
from shops.tenancy import ContextKind

from . import selectors, services
from .carts import services as cart_services
from .carts.kinds import LIVE_CART, VIDEO_CART, Cart
from .carts.serializers import CartItemSerializer, LiveSessionSerializer, VideoSerializer
from .exceptions import ShowcaseUnavailable
from .filters import MarketFilter, OfferFilter, ShowcaseItemFilter
from .models import AllianceOffer, LiveSession, ShowcaseCategory, ShowcaseItem, Video
from .serializers import (
    AddFromAllianceSerializer,
    AddFromLinkSerializer,
    AddFromShopSerializer,
    AllianceOfferOpenSerializer,
    AllianceOfferSerializer,
    AllianceRateSerializer,
    MarketOfferSerializer,
    MoveSerializer,
    ShowcaseCategorySerializer,
    ShowcaseItemSerializer,
    ShowcaseItemUpdateSerializer,
)


class CreatorAPIMixin(ConsoleAPIMixin):
    """Creator endpoints: 404 for a shop context; the unmet cart conditions (400) for a
    creator without a showcase."""

    console_kind = ContextKind.CREATOR

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unmet = selectors.showcase_unmet(self.console.creator)
        if unmet:
            raise ShowcaseUnavailable(unmet)


class CreatorReadViewSet(CreatorAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve the creator's own objects; a viewset adds its write actions."""


def _add_action(url_path: str, serializer, service):
    """A POST action adding one item to the showcase: the body, validated by `serializer`
    (its fields are the service's arguments), goes to `service`; 201 with the item."""

    def add(self, request):
        item = service(context=self.console, **valid_body(serializer, request))
        return Response(ShowcaseItemSerializer(self._item(item.pk)).data, status.HTTP_201_CREATED)

    add.__name__ = url_path.replace("-", "_")  # DRF finds an action by its attribute name
    return extend_schema(request=serializer, responses=ShowcaseItemSerializer)(
        action(detail=False, methods=["post"], url_path=url_path)(add)
    )


class ShowcaseItemViewSet(mixins.DestroyModelMixin, CreatorReadViewSet):
    """我的橱窗: items from every source, 推荐 first, in the creator's order."""

    queryset = ShowcaseItem.objects.all()
    serializer_class = ShowcaseItemSerializer
    filterset_class = ShowcaseItemFilter

    def get_queryset(self):
        return selectors.showcase_items(context=self.console)

    def _item(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=ShowcaseItemUpdateSerializer, responses=ShowcaseItemSerializer)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        changes = dict(valid_body(ShowcaseItemUpdateSerializer, request))
        if "category" in changes:
            changes["category_id"] = changes.pop("category")
        services.showcase_item_update(context=self.console, item_id=item.pk, **changes)
        return Response(ShowcaseItemSerializer(self._item(item.pk)).data)

    def perform_destroy(self, instance):
        services.showcase_item_remove(context=self.console, item_id=instance.pk)

    # 加入橱窗 from a 精选联盟 offer, a pasted link or 淘口令, or a product of the creator's own shop.
    from_alliance = _add_action(
        "from-alliance", AddFromAllianceSerializer, services.showcase_add_from_alliance
    )
    from_link = _add_action("from-link", AddFromLinkSerializer, services.showcase_add_from_link)
    from_shop = _add_action("from-shop", AddFromShopSerializer, services.showcase_add_from_shop)

    @extend_schema(request=MoveSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        item = self.get_object()
        direction = valid_body(MoveSerializer, request)["direction"]
        services.showcase_item_move(context=self.console, item_id=item.pk, direction=direction)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShowcaseCategoryViewSet(
    CreatorAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ShowcaseCategory.objects.all()
    serializer_class = ShowcaseCategorySerializer
    http_method_names = ["get", "post", "patch", "delete"]

    def perform_create(self, serializer):
        serializer.instance = services.showcase_category_create(
            context=self.console, name=serializer.validated_data["name"]
        )

    def perform_update(self, serializer):
        serializer.instance = services.showcase_category_rename(
            context=self.console,
            category_id=serializer.instance.pk,
            name=serializer.validated_data.get("name", serializer.instance.name),
        )

    def perform_destroy(self, instance):
        services.showcase_category_delete(context=self.console, category_id=instance.pk)


class CartViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, CreatorReadViewSet):
    """A creator's videos or lives (`cart`, an `affiliates.carts.kinds.Cart`) and the
    items in their carts: one implementation for both kinds."""

    cart: Cart

    def get_queryset(self):
        return selectors.cart_list(cart=self.cart, context=self.console)

    def _fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def perform_create(self, serializer):
        serializer.instance = cart_services.cart_create(
            cart=self.cart, context=self.console, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        cart_services.cart_delete(cart=self.cart, context=self.console, cart_id=instance.pk)

    @extend_schema(request=CartItemSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        row = self.get_object()
        item_id = valid_body(CartItemSerializer, request)["item"]
        cart_services.cart_add_item(
            cart=self.cart, context=self.console, cart_id=row.pk, item_id=item_id
        )
        return Response(self._fresh(row.pk), status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>\d+)")
    def remove(self, request, pk=None, item_id=None):
        row = self.get_object()
        cart_services.cart_remove_item(
            cart=self.cart, context=self.console, cart_id=row.pk, item_id=int(item_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class VideoViewSet(CartViewSet):
    """视频 and their 视频购物车 (at most 7 items each)."""

    cart = VIDEO_CART
    queryset = Video.objects.all()
    serializer_class = VideoSerializer


class LiveSessionViewSet(CartViewSet):
    """直播 and their 直播购物车; one item at a time is 正在讲解."""

    cart = LIVE_CART
    queryset = LiveSession.objects.all()
    serializer_class = LiveSessionSerializer

    @extend_schema(request=CartItemSerializer, responses=LiveSessionSerializer)
    @action(detail=True, methods=["post", "delete"])
    def explaining(self, request, pk=None):
        """POST {item}: mark it 正在讲解 (the previous one stops); DELETE: nobody."""
        session = self.get_object()
        if request.method == "DELETE":
            cart_services.live_clear_explaining(context=self.console, session_id=session.pk)
        else:
            item_id = valid_body(CartItemSerializer, request)["item"]
            cart_services.live_set_explaining(
                context=self.console, session_id=session.pk, item_id=item_id
            )
        return Response(self._fresh(session.pk))


class MarketViewSet(CreatorAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """选品广场: active 精选联盟 offers of every shop, filtered and sorted."""

    queryset = AllianceOffer.objects.none()
    serializer_class = MarketOfferSerializer
    filterset_class = MarketFilter

    def get_queryset(self):
        return selectors.market_offers(creator=self.console.creator)


class AllianceOfferViewSet(ShopReadViewSet):
    """The shop's 精选联盟 offers. Changing the rate applies to new orders only."""

    queryset = AllianceOffer.objects.all()
    serializer_class = AllianceOfferSerializer
    filterset_class = OfferFilter
    required_perms = dict.fromkeys(
        ("list", "retrieve", "create", "partial_update", "close", "reopen", "rates"),
        Perm.ALLIANCE_MANAGE,
    )

    def get_queryset(self):
        return selectors.offer_list(context=self.console)

    def _data(self, offer):
        return AllianceOfferSerializer(self.get_queryset().get(pk=offer.pk)).data

    @extend_schema(request=AllianceOfferOpenSerializer, responses=AllianceOfferSerializer)
    def create(self, request):
        data = valid_body(AllianceOfferOpenSerializer, request)
        offer = services.alliance_offer_open(
            context=self.console,
            product_id=data["product"],
            rate_bp=data["rate_bp"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        return Response(self._data(offer), status=status.HTTP_201_CREATED)

    @extend_schema(request=AllianceOfferSerializer, responses=AllianceOfferSerializer)
    def partial_update(self, request, pk=None):
        offer = self.get_object()
        changes = valid_patch(
            AllianceOfferSerializer, request, offer, "rate_bp", "starts_on", "ends_on"
        )
        offer = services.alliance_offer_update(context=self.console, offer_id=offer.pk, **changes)
        return Response(self._data(offer))

    @extend_schema(request=None, responses=AllianceOfferSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        offer = services.alliance_offer_close(context=self.console, offer_id=self.get_object().pk)
        return Response(self._data(offer))

    @extend_schema(request=None, responses=AllianceOfferSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        offer = self.get_object()
        offer = services.alliance_offer_open(
            context=self.console,
            product_id=offer.product_id,
            rate_bp=offer.rate_bp,
            starts_on=offer.starts_on,
            ends_on=offer.ends_on,
        )
        return Response(self._data(offer))

    @extend_schema(responses=AllianceRateSerializer(many=True))
    @action(detail=True, methods=["get"])
    def rates(self, request, pk=None):
        offer = self.get_object()
        history = selectors.offer_rate_history(context=self.console, offer=offer)
        return Response(AllianceRateSerializer(history, many=True).data)
