"""SSRF: an endpoint may only reach the public internet. Its host is resolved and every
address checked, at registration and again at each delivery, and the request is sent to
the address that was checked (a DNS answer that changes in between cannot redirect it
inside). Redirects are never followed. WEBHOOK_ALLOW_PRIVATE_URLS lifts the address
check for development and tests."""

import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import WebhookError


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, ip) for `url`, or WebhookError naming why it is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(_("推送地址须以 http:// 或 https:// 开头。"), fields={"url": ["scheme"]})
    if parts.username or parts.password:
        raise WebhookError(_("推送地址不能包含用户名或密码。"), fields={"url": ["userinfo"]})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise WebhookError(
            _("无法解析推送地址的域名 %(host)s。") % {"host": parts.hostname},
            fields={"url": ["dns"]},
        ) from exc
    ips = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not settings.WEBHOOK_ALLOW_PRIVATE_URLS and any(_refused(ip) for ip in ips):
        raise WebhookError(
            _("推送地址指向内网、本机或保留地址，不能使用。"), fields={"url": ["private"]}
        )
    return parts.scheme, parts.hostname, port, str(ips[0])


def _socket(ip: str, port: int, timeout: float) -> socket.socket:
    sock = socket.create_connection((ip, port), timeout)
    # As http.client does: headers and body go in separate writes, and without this the
    # body waits for the receiver's delayed ACK (~40 ms a request).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = _socket(self._ip, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        sock = _socket(self._ip, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def connection_for(url: str, *, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the checked address of `url`, and the path to request."""
    scheme, host, port, ip = resolve(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    cls = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    return cls(host, port, ip=ip, timeout=timeout), path
