"""The client's address behind trusted proxies, the one way rate limits, the lockout and the access log see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from xieyu.core.clientip import client_address


def request(remote="198.51.100.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        ([], "198.51.100.7", None, "198.51.100.7"),
        ([], "198.51.100.7", "203.0.113.9", "198.51.100.7"),  # no trusted proxy: the header is ignored
        (["10.0.0.1"], "198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not from the proxy: ignored
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (["10.0.0.1"], "10.0.0.1", "1.1.1.1, 203.0.113.9", "203.0.113.9"),  # the left part is the client's own
        (["10.0.0.0/8"], "10.0.0.1", "203.0.113.9, 10.2.3.4", "203.0.113.9"),  # two proxies in a row
        (["10.0.0.0/8"], "10.0.0.1", "10.9.9.9, 10.2.3.4", "10.9.9.9"),  # only proxies: the farthest one
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "garbage", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9:5555", "203.0.113.9"),
        (["10.0.0.1"], "10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
        (["2001:db8:ffff::/48"], "2001:db8:ffff::1", "2001:db8::7", "2001:db8::7"),
        (["10.0.0.1"], "::ffff:10.0.0.1", "203.0.113.9", "203.0.113.9"),
        ([], "not-an-address", None, None),
    ],
)
def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request(remote, forwarded)) == expected


def test_a_malformed_proxy_setting_is_a_configuration_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured):
        client_address(request("10.0.0.1", "203.0.113.9"))


def test_the_login_lockout_records_the_forwarded_client(cast, settings):
    from axes.models import AccessAttempt
    from django.test import Client

    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    client.post("/login/", {"phone": "13800000031", "password": "wrong-password-1"})
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_the_access_log_records_the_forwarded_client(cast, settings):
    from xieyu.audit.models import AccessEvent
    from xieyu.audit.services import access_record

    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    access_record(actor=cast.head_teacher_li, target=cast.students["zhang_xiaoming"], purpose="test",
                  request=request("10.0.0.1", "203.0.113.9"))  # fmt: skip
    assert AccessEvent.objects.get().ip == "203.0.113.9"
