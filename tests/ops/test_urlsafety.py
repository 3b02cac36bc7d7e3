"""Outgoing requests never reach private addresses unless the operator allows it."""

from __future__ import annotations

import socket

import pytest

from crowdfold.lib.urlsafety import UnsafeURL, check_url, safe_request
from tests.ops.conftest import Receiver


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_loopback_urls_are_refused(settings, url):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURL):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/x", "file:///etc/passwd", "http:///nohost", "gopher://x"]
)
def test_urls_that_are_not_http_are_refused(url):
    with pytest.raises(UnsafeURL):
        check_url(url, allow_private=True)


def test_a_public_address_passes_the_check(settings):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    assert check_url("http://93.184.216.34/x") == "http://93.184.216.34/x"


def test_a_request_to_a_local_receiver_is_refused_by_default(settings, receiver):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURL):
        safe_request("POST", receiver.url, json={"a": 1})
    assert receiver.requests == []


def test_the_admin_setting_lets_requests_reach_a_local_receiver(settings, receiver):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = True
    response = safe_request("POST", receiver.url, json={"a": 1})
    assert response.status_code == 200
    assert receiver.json_bodies() == [{"a": 1}]


def test_a_redirect_to_a_private_address_is_refused(settings):
    """127.0.0.1 is allow-listed, 127.0.0.2 is not: the redirect hop must be refused."""
    first, second = Receiver("127.0.0.1"), Receiver("127.0.0.2")
    try:
        settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
        settings.CROWDFOLD_PRIVATE_URL_ALLOWLIST = ["127.0.0.1/32"]
        first.redirect_to = second.url
        with pytest.raises(UnsafeURL):
            safe_request("GET", first.url)
        assert len(first.requests) == 1
        assert second.requests == []
    finally:
        first.close()
        second.close()


def test_a_host_that_rebinds_to_a_private_address_after_the_check_is_refused(
    settings, receiver, monkeypatch
):
    """DNS is the network edge: the name resolves to a public address when checked and to
    127.0.0.1 when connected. The connected-address check catches it."""
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    real_getaddrinfo = socket.getaddrinfo
    calls = {"n": 0}

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            calls["n"] += 1
            address = "93.184.216.34" if calls["n"] == 1 else "127.0.0.1"
            return real_getaddrinfo(address, port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(UnsafeURL):
        safe_request("GET", f"http://rebind.example:{receiver.port}/hook")
    assert calls["n"] >= 2
    assert receiver.requests == []
