"""Login lockout (django-axes, AXES_HANDLER): failures lock the username + client
address pair (AXES_LOCKOUT_PARAMETERS), so a stranger's failures from elsewhere never
lock the rightful user out; and an address failing LOGIN_IP_FAILURE_LIMIT times over
any usernames within the cool-off is refused as a whole (password spraying).

The client address comes from `core.clientip` (TRUSTED_PROXY_COUNT)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def ip_failures(request) -> int:
    """Failed logins from the request's client address within the cool-off, over every
    username."""
    ip = get_client_ip_address(request)
    if not ip:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=ip, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class LoginLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return (
            super().is_locked(request, credentials)
            or ip_failures(request) >= settings.LOGIN_IP_FAILURE_LIMIT
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes answers with its lockout page only when the pair's own count is reached;
        # an address over its limit gets the same answer.
        if request is not None and ip_failures(request) >= settings.LOGIN_IP_FAILURE_LIMIT:
            request.axes_locked_out = True
