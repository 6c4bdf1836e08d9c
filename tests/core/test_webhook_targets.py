"""Webhooks never reach into the server's own network (server-side request forgery)."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from tests.registry import factories as f
from wufei.accounts.models import MembershipRole
from wufei.core.webhook_delivery import _post
from wufei.core.webhook_targets import webhook_target_refusal

INWARD = [
    "http://127.0.0.1:8000/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.5/hook",
    "http://172.16.9.9/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
]


@override_settings(WUFEI_WEBHOOK_ALLOW_PRIVATE=False)
@pytest.mark.parametrize("url", INWARD)
def test_inward_addresses_are_refused(url):
    assert webhook_target_refusal(url) is not None


@override_settings(WUFEI_WEBHOOK_ALLOW_PRIVATE=False)
def test_a_public_address_is_accepted():
    assert webhook_target_refusal("https://8.8.8.8/hook") is None


@override_settings(WUFEI_WEBHOOK_ALLOW_PRIVATE=False)
def test_a_name_resolving_inward_is_refused_at_delivery(monkeypatch):
    def fake(host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    status, error = _post("https://erp.example.com/hook", "{}", {})
    assert status is None
    assert "10.0.0.7" in error and error.startswith("refused")


@override_settings(WUFEI_WEBHOOK_ALLOW_PRIVATE=False)
def test_an_unresolvable_name_is_accepted_at_creation_but_not_at_delivery(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    assert webhook_target_refusal("https://erp.example.com/hook", resolve=False) is None
    assert "does not resolve" in (webhook_target_refusal("https://erp.example.com/hook") or "")


@override_settings(WUFEI_WEBHOOK_ALLOW_PRIVATE=True)
def test_the_operator_may_allow_private_networks():
    assert webhook_target_refusal("http://10.1.2.3/hook") is None


@pytest.mark.django_db
@override_settings(WUFEI_WEBHOOK_ALLOW_PRIVATE=False)
def test_the_api_refuses_an_inward_endpoint_and_says_why():
    org = f.make_org(is_producer=True)
    admin = f.make_user()
    f.make_member(admin, org, MembershipRole.ADMIN)
    answer = f.api_client(admin).post(
        "/api/v1/webhooks/",
        {"organisation": org.uscc, "url": "http://169.254.169.254/latest", "events": []},
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert body["code"] == "webhook_target_refused"
    assert body["field"] == "url"
    assert "169.254.169.254" in body["message"]
