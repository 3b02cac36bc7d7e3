"""Outgoing HTTP that cannot be pointed at the inside of our network (SSRF guard).

Anything a user can type (webhook URLs, CSV/JSON importer URLs, news feeds) is fetched through
``safe_session()`` or ``safe_request()``. The rule is checked twice:

* ``check_url`` before a request: http(s) only, a host name, and every address the host resolves to
  must be public. It gives a clear error for forms and the API.
* the connection itself: the address the socket actually connected to is checked again, on every
  hop of a redirect chain. This is what defeats DNS rebinding (a name that resolves to a public
  address when checked and to 127.0.0.1 when connected) and redirects to private addresses.

Private, loopback, link-local, multicast and reserved addresses are refused unless the operator sets
``CROWDFOLD_ALLOW_PRIVATE_URLS`` (tests turn it on for receivers on 127.0.0.1), or lists the network
in ``CROWDFOLD_PRIVATE_URL_ALLOWLIST`` (e.g. an analysis service on ``10.0.0.5/32``).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_TIMEOUT = (5, 15)  # connect, read (seconds)
MAX_REDIRECTS = 5


class UnsafeURL(ValueError):
    """The URL may not be fetched: bad scheme, no host, or a non-public address."""


def private_urls_allowed() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "CROWDFOLD_ALLOW_PRIVATE_URLS", False))


def _ip(address: str):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped IPv6 is judged as IPv4)."""
    ip = _ip(address)
    return ip.is_global and not ip.is_multicast


def _allowlisted(address: str) -> bool:
    from django.conf import settings

    ip = _ip(address)
    for network in getattr(settings, "CROWDFOLD_PRIVATE_URL_ALLOWLIST", []):
        net = ipaddress.ip_network(network, strict=False)
        if ip.version == net.version and ip in net:
            return True
    return False


def address_allowed(address: str) -> bool:
    """May we connect to this address? Public, or allow-listed by the operator."""
    return is_public_address(address) or _allowlisted(address)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"Cannot resolve host {host!r}") from exc
    return sorted({info[4][0] for info in infos})


def check_url(url: str, *, allow_private: bool | None = None) -> str:
    """Return ``url`` if it may be fetched, else raise ``UnsafeURL`` saying why."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(f"Invalid URL: {exc}") from exc
    if parts.scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL("Only http and https URLs are allowed")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host")
    if allow_private if allow_private is not None else private_urls_allowed():
        return url
    for address in _resolve(parts.hostname, port):
        if not address_allowed(address):
            raise UnsafeURL(
                f"{parts.hostname} resolves to a private or reserved address ({address})"
            )
    return url


def _check_peer(sock: socket.socket) -> None:
    if private_urls_allowed():
        return
    address = sock.getpeername()[0]
    if not address_allowed(address):
        sock.close()
        raise UnsafeURL(f"Refusing to connect to a private or reserved address ({address})")


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        _check_peer(sock)
        return sock


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        _check_peer(sock)
        return sock


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class SafeAdapter(HTTPAdapter):
    """An adapter whose every connection (redirect hops included) passes the address check."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }

    def send(self, request, **kwargs):
        check_url(request.url)
        return super().send(request, **kwargs)


def safe_session() -> requests.Session:
    """A ``requests`` session that only reaches public addresses. Proxies from the environment are
    ignored: through a proxy the connected address would say nothing about the target."""
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = MAX_REDIRECTS
    adapter = SafeAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def safe_request(method: str, url: str, **kwargs) -> requests.Response:
    """One guarded request. Raises ``UnsafeURL`` (refused) or ``requests.RequestException``."""
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    with safe_session() as session:
        try:
            return session.request(method, url, **kwargs)
        except requests.exceptions.ConnectionError as exc:
            # urllib3 wraps exceptions raised while connecting; surface the refusal as such.
            unsafe = _find_unsafe(exc)
            if unsafe is not None:
                raise unsafe from exc
            raise


def _find_unsafe(exc: BaseException) -> UnsafeURL | None:
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, UnsafeURL):
            return current
        stack.extend([current.__cause__, current.__context__])
        stack.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return None
