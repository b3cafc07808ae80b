"""The client's address, also behind reverse proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so
with N trusted proxies in front of the app the client is the N-th entry from the end;
entries before it are whatever the client sent and are never trusted. Login lockout
(django-axes, AXES_CLIENT_IP_CALLABLE) and rate limits key on this address.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # It did not pass through all the proxies: only the socket's address is known.
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
