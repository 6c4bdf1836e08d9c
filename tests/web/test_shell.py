"""The shell a person meets first: log-in in Chinese, the language switch, role-aware home."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from wufei.accounts.models import Membership, MembershipRole, RegulatorScope, User
from wufei.registry.models import Organisation, Region
from wufei.registry.uscc import uscc_generate

pytestmark = pytest.mark.django_db


def make_user(username: str) -> User:
    return User.objects.create_user(username=username, password="a-long-passphrase")


def test_login_page_is_chinese_by_default() -> None:
    body = Client().get("/login/").content.decode()
    assert "登录无废平台" in body
    assert 'lang="zh-hans"' in body


def test_an_english_browser_still_gets_chinese_until_the_user_switches() -> None:
    body = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/login/").content.decode()
    assert "登录无废平台" in body


def test_language_switch_turns_the_interface_english() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    body = client.get("/login/").content.decode()
    assert "Log in to Wufei" in body
    assert 'lang="en"' in body


def test_home_requires_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_user_without_a_role_is_told_how_to_get_one() -> None:
    client = Client()
    client.force_login(make_user("nobody"))
    body = client.get("/").content.decode()
    assert "尚未分配角色" in body


def test_home_shows_each_role_its_own_panels() -> None:
    region = Region.objects.get(code="330108")
    org = Organisation.objects.create(
        uscc=uscc_generate(random.Random(1), region_code="330108"),
        name="杭州测试电路有限公司",
        region=region,
        is_producer=True,
    )
    producer = make_user("p")
    Membership.objects.create(user=producer, organisation=org, role=MembershipRole.ADMIN)
    regulator = make_user("r")
    RegulatorScope.objects.create(user=regulator, region=region, authority="滨江分局")

    client = Client()
    client.force_login(producer)
    body = client.get("/").content.decode()
    assert "产废单位" in body and "本单位" in body and "辖区概况" not in body
    assert "待我签署的联单" in body and "接受确认逾期" not in body

    client.force_login(regulator)
    body = client.get("/").content.decode()
    assert "监管部门" in body and "辖区概况" in body and "本单位" not in body
    assert "接受确认逾期或迟报（第十八条）" in body and "待我签署的联单" not in body
