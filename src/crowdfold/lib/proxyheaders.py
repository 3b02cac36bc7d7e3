"""Believe the TLS proxy's ``X-Forwarded-Proto`` only from the proxy.

Django's ``SECURE_PROXY_SSL_HEADER`` trusts the header from whoever sends it. When
``CROWDFOLD_TRUSTED_PROXIES`` names the proxies, a request from any other peer has the header
removed before Django reads it, so a client that reaches the server directly cannot make a plain
HTTP request count as HTTPS. Without trusted proxies the header is believed as Django does (the
server is then assumed to be reachable only through the proxy; ``crowdfold check`` warns).
"""

from __future__ import annotations

from django.conf import settings

from crowdfold.lib.anonymize import is_trusted_proxy


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if header and settings.TRUSTED_PROXIES:
            peer = request.META.get("REMOTE_ADDR", "")
            if not is_trusted_proxy(peer):
                request.META.pop(header[0], None)
        return self.get_response(request)
