"""API base shared by every app (`ConsoleAPIMixin`, `ShopPermission`) and the shops
endpoints. The API acts for the same shop or creator as the console; a client may
name the shop with the X-Shop-Id header."""

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.views import LogoutView
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services, tokens
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
    TokenRequestSerializer,
    TokenSerializer,
)
from .tenancy import ContextKind, context_for_request, scope


class ConsoleAPIMixin:
    """Resolves `self.console` after DRF authentication and scopes `queryset` to it."""

    console_kind: str | None = ContextKind.SHOP

    @property
    def console(self):
        if not hasattr(self, "_console"):
            self._console = context_for_request(self.request)
        return self._console

    def check_permissions(self, request):
        # A shop the user is not a member of, or acting as the wrong kind (or for no
        # shop), exposes nothing: 404 before any 403, and before anything is written.
        if request.user.is_authenticated and (
            self.console.refused
            or (self.console_kind is not None and self.console.kind != self.console_kind)
        ):
            raise Http404
        super().check_permissions(request)

    def get_queryset(self):
        return scope(super().get_queryset(), self.console)


def valid_body(serializer_class, request, *args, **kwargs):
    """The request body validated by `serializer_class(*args, **kwargs)` (e.g. an instance
    and `partial=True`); a 400 naming each bad field otherwise."""
    serializer = serializer_class(*args, data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def valid_patch(serializer_class, request, instance, *names) -> dict:
    """A PATCH body for `instance` validated by `serializer_class`: each of `names` as the
    body gives it, else as `instance` has it (for a service that takes them all)."""
    body = valid_body(serializer_class, request, instance, partial=True)
    return {name: body.get(name, getattr(instance, name)) for name in names}


class ShopPermission(permissions.BasePermission):
    """Checks `view.required_perms[action]` (or [method]) against the role table."""

    message = _("你的角色没有这项权限。")

    def has_permission(self, request, view):
        required = getattr(view, "required_perms", {})
        key = getattr(view, "action", None) or request.method.lower()
        perm = required.get(key) or required.get(request.method.lower())
        return perm is None or view.console.has_perm(perm)


class ShopReadViewSet(ConsoleAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve the current shop's objects; an app adds its write actions and
    names the permission each needs in `required_perms`."""

    permission_classes = [permissions.IsAuthenticated, ShopPermission]


class ShopDetailViewSet(ShopReadViewSet):
    """A ShopReadViewSet whose write actions answer with the object in full, as the
    subclass's `get_detail(object_id)` serializes it."""

    def get_detail(self, object_id: int):
        """The serializer of the object in full (read through the app's detail selector)."""
        raise NotImplementedError

    def detail_response(self, object_id: int, status_code=status.HTTP_200_OK) -> Response:
        return Response(self.get_detail(object_id).data, status=status_code)

    def act(self, service, body=None) -> Response:
        """`service(context=…, <model>_id=the URL's object)` given the request's `body`
        validated (a serializer class, its fields as keywords), then the object. Services
        name the id after the model: `order_id`, `aftersale_id`."""
        object_id = self.get_object().pk
        kwargs = valid_body(body, self.request) if body else {}
        id_name = f"{self.queryset.model._meta.model_name}_id"
        service(context=self.console, **{id_name: object_id}, **kwargs)
        return self.detail_response(object_id)


class ObtainTokenView(APIView):
    """Integrations trade a member's username and password for an API token (header
    `Authorization: Token <token>`). Failed tries count towards the login lockout."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        data = valid_body(TokenRequestSerializer, request)
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail=_("登录尝试过多，已暂时锁定，请稍后再试。"))
            raise ValidationError({"password": [_("用户名或密码不正确。")]})
        instance, token = tokens.api_token_create(user=user, name=data.get("name") or _("接口登录"))
        return Response(
            TokenSerializer({"token": token, "expiry": instance.expiry}).data,
            status=status.HTTP_200_OK,
        )


class RevokeTokenView(LogoutView):
    """Revokes the API token the request is made with (the others stay valid)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


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
        body = valid_body(ShopSettingsSerializer, request, self.console.shop, partial=True)
        shop = services.shop_update_settings(context=self.console, data=body)
        return Response(ShopSettingsSerializer(shop).data)


class MemberViewSet(ShopReadViewSet):
    """Members of the current shop: owner only."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    required_perms = dict.fromkeys(
        ("list", "retrieve", "create", "partial_update", "destroy"), Perm.MEMBERS_MANAGE
    )

    def get_queryset(self):
        return membership_list(context=self.console)

    @extend_schema(request=MemberAddSerializer, responses=MembershipSerializer)
    def create(self, request):
        body = valid_body(MemberAddSerializer, request)
        membership = services.member_add(context=self.console, **body)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipSerializer, responses=MembershipSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        role = valid_patch(MembershipSerializer, request, target, "role")
        membership = services.member_change_role(
            context=self.console, membership_id=target.pk, **role
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
        body = valid_body(CreatorSerializer, request, creator, partial=True)
        creator = services.creator_update_profile(creator=creator, data=body)
        return Response(CreatorSerializer(creator).data)

    @extend_schema(request=None, responses=EligibilitySerializer)
    @action(detail=False, methods=["get", "post"], url_path="eligibility")
    def eligibility(self, request):
        creator = self._creator()
        if request.method == "POST":
            # 重新检测: the account facts are fetched from Douyin first.
            result = services.creator_refresh_account(creator=creator)
        else:
            result = creator_eligibility(creator)
        return Response(EligibilitySerializer(result).data)
