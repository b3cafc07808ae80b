"""API base shared by every app (`ConsoleAPIMixin`, `ShopPermission`) and the shops
endpoints. The API acts for the same shop or creator as the console; a client may
name the shop with the X-Shop-Id header."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import Creator, Membership, Shop
from .roles import Perm
from .selectors import creator_eligibility, membership_list
from .serializers import (
    CreatorSerializer,
    EligibilitySerializer,
    MemberAddSerializer,
    MembershipSerializer,
    MeSerializer,
    ShopSerializer,
    ShopSettingsSerializer,
)
from .tenancy import SESSION_KEY, SHOP_HEADER, ContextKind, resolve_context, scope


class ConsoleAPIMixin:
    """Resolves `self.console` after DRF authentication and scopes `queryset` to it."""

    console_kind: str | None = ContextKind.SHOP

    @property
    def console(self):
        if not hasattr(self, "_console"):
            request = self.request
            requested = request.META.get(SHOP_HEADER) or request.session.get(SESSION_KEY)
            self._console = resolve_context(request.user, requested=requested)
        return self._console

    def check_permissions(self, request):
        # Acting as the wrong kind (or for no shop) exposes nothing: 404 before any 403.
        if (
            request.user.is_authenticated
            and self.console_kind is not None
            and self.console.kind != self.console_kind
        ):
            raise Http404
        super().check_permissions(request)

    def get_queryset(self):
        return scope(super().get_queryset(), self.console)


class ShopPermission(permissions.BasePermission):
    """Checks `view.required_perms[action]` (or [method]) against the role table."""

    message = _("你的角色没有这项权限。")

    def has_permission(self, request, view):
        required = getattr(view, "required_perms", {})
        key = getattr(view, "action", None) or request.method.lower()
        perm = required.get(key) or required.get(request.method.lower())
        return perm is None or view.console.has_perm(perm)


class MeView(ConsoleAPIMixin, APIView):
    console_kind = None

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        context = self.console
        data = {
            "id": request.user.id,
            "username": request.user.get_username(),
            "context": {
                "kind": context.kind,
                "shop_id": getattr(context.shop, "id", None),
                "role": context.role,
            },
            "shops": [
                {"id": m.shop_id, "name": m.shop.name, "role": m.role} for m in context.memberships
            ],
            "creator": CreatorSerializer(context.creator).data if context.creator else None,
        }
        return Response(data)


class ShopViewSet(viewsets.ReadOnlyModelViewSet):
    """The shops the user is a member of."""

    # Only tells the schema the model (and so the type of `{id}`); get_queryset scopes.
    queryset = Shop.objects.none()
    serializer_class = ShopSerializer

    def get_queryset(self):
        return Shop.objects.filter(memberships__user=self.request.user).order_by("id")


class ShopSettingsView(ConsoleAPIMixin, APIView):
    permission_classes = [permissions.IsAuthenticated, ShopPermission]
    required_perms = {"patch": Perm.SHOP_SETTINGS_EDIT, "put": Perm.SHOP_SETTINGS_EDIT}

    @extend_schema(responses=ShopSettingsSerializer)
    def get(self, request):
        return Response(ShopSettingsSerializer(self.console.shop).data)

    @extend_schema(request=ShopSettingsSerializer, responses=ShopSettingsSerializer)
    def patch(self, request):
        serializer = ShopSettingsSerializer(self.console.shop, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        shop = services.shop_update_settings(context=self.console, data=serializer.validated_data)
        return Response(ShopSettingsSerializer(shop).data)


class MemberViewSet(
    ConsoleAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Members of the current shop: owner only."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    permission_classes = [permissions.IsAuthenticated, ShopPermission]
    required_perms = {
        "list": Perm.MEMBERS_MANAGE,
        "retrieve": Perm.MEMBERS_MANAGE,
        "create": Perm.MEMBERS_MANAGE,
        "partial_update": Perm.MEMBERS_MANAGE,
        "destroy": Perm.MEMBERS_MANAGE,
    }

    def get_queryset(self):
        return membership_list(context=self.console)

    @extend_schema(request=MemberAddSerializer, responses=MembershipSerializer)
    def create(self, request):
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_add(context=self.console, **serializer.validated_data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipSerializer, responses=MembershipSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        serializer = MembershipSerializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        membership = services.member_change_role(
            context=self.console,
            membership_id=target.pk,
            role=serializer.validated_data.get("role", target.role),
        )
        return Response(MembershipSerializer(membership).data)

    def destroy(self, request, pk=None):
        target = self.get_object()
        services.member_remove(context=self.console, membership_id=target.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CreatorViewSet(ConsoleAPIMixin, viewsets.GenericViewSet):
    """The current user's creator profile and its cart eligibility."""

    console_kind = None
    queryset = Creator.objects.all()
    serializer_class = CreatorSerializer

    def _creator(self) -> Creator:
        if self.console.creator is None:
            raise Http404
        return self.console.creator

    @extend_schema(responses=CreatorSerializer)
    def list(self, request):
        return Response(CreatorSerializer(self._creator()).data)

    @extend_schema(request=CreatorSerializer, responses=CreatorSerializer)
    @action(detail=False, methods=["patch"], url_path="profile")
    def profile(self, request):
        creator = self._creator()
        serializer = CreatorSerializer(creator, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        creator = services.creator_update_profile(creator=creator, data=serializer.validated_data)
        return Response(CreatorSerializer(creator).data)

    @extend_schema(request=None, responses=EligibilitySerializer)
    @action(detail=False, methods=["get", "post"], url_path="eligibility")
    def eligibility(self, request):
        creator = self._creator()
        if request.method == "POST":
            result = services.creator_check_eligibility(creator=creator)
        else:
            result = creator_eligibility(creator)
        return Response(EligibilitySerializer(result).data)
