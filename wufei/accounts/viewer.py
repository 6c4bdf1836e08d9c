"""What a signed-in user is in the network, computed once per request.

Every permission decision starts from a `Viewer`: is the user a platform administrator, which
regions does it regulate (as code prefixes), and which organisations is it a member of with
which role. Selectors filter with it; services check with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest

from wufei.accounts.models import Membership, MembershipRole, RegulatorScope, User
from wufei.registry.regions import region_codes_within


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    is_admin: bool = False
    region_prefixes: tuple[str, ...] = ()
    memberships: dict[int, str] = field(default_factory=dict)  # organisation id -> role
    # memo of `region_codes`, filled on first use (the viewer lives for one request)
    _region_codes: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_regulator(self) -> bool:
        return bool(self.region_prefixes)

    @property
    def organisation_ids(self) -> set[int]:
        return set(self.memberships)

    def role_in(self, organisation_id: int) -> str | None:
        return self.memberships.get(organisation_id)

    def can_act_for(self, organisation_id: int) -> bool:
        """Members and admins act for an organisation; drivers and read-only members do not."""
        role = self.memberships.get(organisation_id)
        return role in (MembershipRole.ADMIN, MembershipRole.MEMBER)

    def regulates(self, region_code_prefix: str) -> bool:
        return any(region_code_prefix.startswith(p) for p in self.region_prefixes)

    def region_codes(self) -> list[str]:
        """The codes of every region this viewer regulates, and of the regions below them."""
        if self.region_prefixes and not self._region_codes:
            self._region_codes.extend(region_codes_within(self.region_prefixes))
        return self._region_codes

    def region_q(self, lookup: str) -> Q:
        """A Q matching rows whose region prefix (at `lookup`, a path ending in
        `region__prefix`) lies in this viewer's regions.

        Matched as the region being one of `region_codes` rather than as a prefix through a
        join: PostgreSQL estimates a LIKE on the joined region at one row and then plans
        nested loops over every row (seconds per query at ten times the demo district)."""
        if not self.region_prefixes:
            return Q(pk__in=[])
        path = lookup.removesuffix("__prefix")
        if path == lookup or not path.endswith("region"):
            raise ValueError(f"region_q needs a path ending in region__prefix, not {lookup!r}")
        return Q(**{f"{path}__in": self.region_codes()})


ANONYMOUS = Viewer(user_id=None)


def viewer_for(user: User | AnonymousUser) -> Viewer:
    if not user.is_authenticated:
        return ANONYMOUS
    assert isinstance(user, User)
    prefixes = tuple(
        RegulatorScope.objects.filter(user=user).values_list("region__prefix", flat=True)
    )
    memberships = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    return Viewer(
        user_id=user.pk,
        is_admin=user.is_superuser,
        region_prefixes=prefixes,
        memberships=memberships,
    )


def viewer_of_request(request: HttpRequest) -> Viewer:
    """The signed-in user's Viewer, computed once per request (pages are login_required); the
    navigation context processor reuses it."""
    cached = getattr(request, "_wufei_viewer", None)
    if isinstance(cached, Viewer):
        return cached
    assert isinstance(request.user, User)
    viewer = viewer_for(request.user)
    request._wufei_viewer = viewer  # type: ignore[attr-defined]
    return viewer
