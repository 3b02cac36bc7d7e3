"""Client addresses: which one to believe, and how to anonymise it (prefix-preserving CryptoPAn)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from yacryptopan import CryptoPAn


@lru_cache(maxsize=4)
def _cryptopan(key: str) -> CryptoPAn:
    return CryptoPAn(key.encode("utf-8")[:32].ljust(32, b"."))


@lru_cache(maxsize=65536)
def _anonymize(key: str, address: str) -> str:
    return _cryptopan(key).anonymize(address)


def anonymize_ip(address: str) -> str:
    """Anonymise an IPv4/IPv6 address with the site's ``CRYPTOPAN_KEY`` (cached: ~0.4 ms uncached)."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        address = "127.0.0.1"
    return _anonymize(settings.CRYPTOPAN_KEY, address)


def is_trusted_proxy(peer: str) -> bool:
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return False
    try:
        peer_ip = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(peer_ip in ipaddress.ip_network(net, strict=False) for net in trusted)


def client_ip(request) -> str:
    """The caller's address: ``X-Forwarded-For`` is believed only when the peer is a trusted proxy,
    and then the right-most address not itself a trusted proxy wins."""
    peer = request.META.get("REMOTE_ADDR") or "127.0.0.1"
    if not is_trusted_proxy(peer):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted_proxy(hop):
            return hop
    return peer
