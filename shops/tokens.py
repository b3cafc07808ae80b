"""API tokens (django-rest-knox, model `shops.ApiToken`): made by `POST
/api/v1/auth/token/` or in 店铺设置 → API 令牌, shown once, stored as a digest, expiring
after REST_KNOX["TOKEN_TTL"], revoked by their owner, by `POST /api/v1/auth/logout/`
(the token in use) and by any change of the owner's password."""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.settings import knox_settings

from core.exceptions import DomainError, clean_or_raise

from .models import ApiToken


class TokenLimitReached(DomainError, code="token_limit"):
    """The user already holds as many API tokens as one may."""


def api_token_list(*, user):
    """The user's tokens that still work, newest first."""
    now = timezone.now()
    return ApiToken.objects.filter(user=user).filter(Q(expiry__gt=now) | Q(expiry__isnull=True))


@transaction.atomic
def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: (the row, the token itself, which is never stored)."""
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and api_token_list(user=user).count() >= limit:
        raise TokenLimitReached(
            _("最多可同时有 %(n)s 个 API 令牌，请先撤销不用的令牌。") % {"n": limit}
        )
    clean_or_raise(ApiToken(user=user, name=name), exclude=["digest", "token_key"])
    return ApiToken.objects.create(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, user, token_key: str) -> None:
    """Revoke one of the user's own tokens; anyone else's is a 404."""
    deleted, _rows = ApiToken.objects.filter(user=user, token_key=token_key).delete()
    if not deleted:
        raise Http404


def api_tokens_revoke_all(*, user) -> int:
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted


# A password change revokes every token: connected to the user model in ShopsConfig.ready().


def remember_password_change(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


def revoke_tokens_on_password_change(sender, instance, **kwargs):
    if getattr(instance, "_password_changed", False):
        instance._password_changed = False
        api_tokens_revoke_all(user=instance)
