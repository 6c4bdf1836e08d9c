"""/api/v1/webhooks/: an organisation's members see its endpoints; nobody else does."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.registry import factories as f
from wufei.accounts.models import MembershipRole
from wufei.accounts.viewer import viewer_for
from wufei.core.audit_models import AuditEvent, WebhookEndpoint
from wufei.core.webhooks import webhook_endpoint_create, webhook_notify

pytestmark = pytest.mark.django_db
BASE = "/api/v1/webhooks/"
URL = "https://erp.example.com/wufei"


@pytest.fixture
def world():
    w = SimpleNamespace()
    w.org = f.make_org(is_producer=True)
    w.rival = f.make_org(is_producer=True)
    w.admin = f.make_user()
    f.make_member(w.admin, w.org, MembershipRole.ADMIN)
    w.clerk = f.make_user()
    f.make_member(w.clerk, w.org, MembershipRole.READONLY)
    w.rival_admin = f.make_user()
    f.make_member(w.rival_admin, w.rival, MembershipRole.ADMIN)
    w.platform = f.make_user(superuser=True)
    w.regulator = f.make_regulator("reg-webhooks", "330108")
    w.endpoint, _secret = webhook_endpoint_create(
        viewer=viewer_for(w.admin), organisation=w.org, url=URL, events=[]
    )
    webhook_notify(organisation_ids=[w.org.pk], event_type="manifest.signed", payload={"n": 1})
    return w


def _create(user, **body):
    payload = {"organisation": body.pop("organisation"), "url": URL, "events": [], **body}
    return f.api_client(user).post(BASE, payload, content_type="application/json")


def test_org_admin_creates_and_sees_the_secret_once(world):
    response = _create(world.admin, organisation=world.org.uscc, events=["manifest.signed"])
    assert response.status_code == 201
    created = response.json()
    assert len(created["secret"]) == 64
    assert created["events"] == ["manifest.signed"]
    assert created["organisation"] == world.org.uscc
    listed = f.api_client(world.admin).get(BASE).json()
    assert listed["count"] == 2
    assert all("secret" not in item for item in listed["results"])
    one = f.api_client(world.admin).get(f"{BASE}{created['id']}").json()
    assert "secret" not in one
    assert AuditEvent.objects.filter(
        action="webhook.endpoint_created", subject_id=str(created["id"])
    ).exists()


def test_a_read_only_member_sees_but_may_not_create(world):
    assert f.api_client(world.clerk).get(BASE).json()["count"] == 1
    response = _create(world.clerk, organisation=world.org.uscc)
    assert response.status_code == 403
    assert response.json()["code"] == "not_org_admin"
    deliveries = f.api_client(world.clerk).get(f"{BASE}{world.endpoint.pk}/deliveries").json()
    assert deliveries["count"] == 1
    assert deliveries["results"][0]["payload"] == {"n": 1}


@pytest.mark.parametrize("who", ["rival_admin", "regulator"])
def test_another_party_sees_nothing(world, who):
    client = f.api_client(getattr(world, who))
    assert client.get(BASE).json()["count"] == 0
    assert client.get(f"{BASE}{world.endpoint.pk}").status_code == 404
    assert client.get(f"{BASE}{world.endpoint.pk}/deliveries").status_code == 404
    assert client.delete(f"{BASE}{world.endpoint.pk}").status_code == 404
    assert WebhookEndpoint.objects.get(pk=world.endpoint.pk).is_active


def test_a_rival_cannot_register_an_endpoint_for_another_organisation(world):
    response = _create(world.rival_admin, organisation=world.org.uscc)
    assert response.status_code in (403, 404)
    assert WebhookEndpoint.objects.filter(organisation=world.org).count() == 1


def test_platform_admin_sees_every_endpoint(world):
    webhook_endpoint_create(
        viewer=viewer_for(world.rival_admin), organisation=world.rival, url=URL, events=[]
    )
    assert f.api_client(world.platform).get(BASE).json()["count"] == 2


def test_delete_disables(world):
    response = f.api_client(world.admin).delete(f"{BASE}{world.endpoint.pk}")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    world.endpoint.refresh_from_db()
    assert not world.endpoint.is_active
    assert world.endpoint.deliveries.get().status == "failed"
    assert AuditEvent.objects.filter(action="webhook.endpoint_disabled").count() == 1


def test_read_only_member_may_not_disable(world):
    assert f.api_client(world.clerk).delete(f"{BASE}{world.endpoint.pk}").status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://erp.example.com/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://erp.example.com/" + "x" * 200}, "url"),
        ({"events": ["Manifest Signed"]}, "events"),
    ],
)
def test_bad_input_is_400_naming_the_field(world, body, field):
    response = _create(world.admin, organisation=world.org.uscc, **body)
    assert response.status_code == 400
    assert response.json()["field"] == field
