"""Demo logins: one user per role, all with the printed demo password.

Users are made with `create_user` / `create_superuser`, so the configured password hasher
(Argon2) applies. The password is public — it is printed by `seed_demo` — so these accounts
belong in a demo database only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wufei.accounts.models import Membership, RegulatorScope, User
from wufei.core.errors import Conflict
from wufei.demo.models import DemoDistrict
from wufei.domain.demo_district import DistrictPlan
from wufei.domain.demo_plan import DEMO_PASSWORD
from wufei.registry.models import Organisation, Region


def demo_logins_create(
    *, plan: DistrictPlan, district: DemoDistrict, organisations: dict[str, Organisation]
) -> list[User]:
    """Create the plan's logins with their memberships and regulator scopes."""
    usernames = [login.username for login in plan.logins]
    if taken := sorted(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    ):
        raise Conflict(
            _("Users %(names)s exist and were not created by the demo: rename or delete them.")
            % {"names": ", ".join(taken)},
            code="demo_clash",
        )
    regions = Region.objects.in_bulk(
        sorted({login.regulator_region for login in plan.logins if login.regulator_region})
    )
    users, memberships, scopes = [], [], []
    for login in plan.logins:
        display_name = f"{login.role.split(' / ')[0]}（演示）"
        if login.is_superuser:
            user = User.objects.create_superuser(
                login.username, email="", password=DEMO_PASSWORD, display_name=display_name
            )
        else:
            user = User.objects.create_user(
                login.username, password=DEMO_PASSWORD, display_name=display_name
            )
        users.append(user)
        if login.organisation and login.membership_role:
            memberships.append(
                Membership(
                    user=user,
                    organisation=organisations[login.organisation],
                    role=login.membership_role,
                )
            )
        if login.regulator_region:
            scopes.append(
                RegulatorScope(
                    user=user, region=regions[login.regulator_region], authority=login.authority
                )
            )
    Membership.objects.bulk_create(memberships)
    RegulatorScope.objects.bulk_create(scopes)
    district.users.add(*users)
    return users
