"""Demo people and organisations for the fictional Demo Borough. Safe to run again.

Every demo account uses the same published password, ``DEMO_PASSWORD``. That is only acceptable because this is
demo data: the demo command prints it, and the accounts exist only where someone ran ``manage.py demo``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from localpower.accounts.models import (
    Organisation,
    OrganisationKind,
    PostcodeCheck,
    RoleAssignment,
    RoleKind,
    User,
)
from localpower.core import audit

DEMO_PASSWORD = "demo-borough-2026"
DEMO_EMAIL_DOMAIN = "demo.example.org"


def _email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def _person(local: str, name: str, *, postcode: str = "", verified: bool = True) -> tuple[User, bool]:
    """Create the demo person or bring them back to the demo state (including the password)."""
    user = User.objects.filter(email=_email(local)).first()
    created = user is None
    if created:
        user = User(email=_email(local), date_joined=timezone.now())
    user.display_name = name
    user.is_active = True
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    if user.home_postcode != postcode or (verified and not user.postcode_verified_at):
        user.home_postcode = postcode
        user.postcode_verified_at = timezone.now() if postcode and verified else None
        user.postcode_check = PostcodeCheck.ELECTORAL_REGISTER if postcode and verified else ""
        user.postcode_verified_by = None
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    return user, created


def _role(user: User, kind: str, *, area=None, organisation=None) -> bool:
    _role_obj, created = RoleAssignment.objects.get_or_create(
        user=user, kind=kind, area=area, organisation=organisation
    )
    return created


def _organisation(slug: str, **fields) -> tuple[Organisation, bool]:
    organisation, created = Organisation.objects.get_or_create(slug=slug, defaults=fields)
    return organisation, created


def _first_postcode(area, *, outside=None) -> str:
    """A postcode linked to ``area`` (and not to ``outside``), for a demo resident's home."""
    from localpower.places.models import Postcode

    postcodes = Postcode.objects.filter(areas=area, terminated__isnull=True).order_by("postcode")
    if outside is not None:
        postcodes = postcodes.exclude(areas=outside)
    first = postcodes.first()
    if first is None:
        raise ValueError(f"The demo area {area} has no postcodes; build the demo places first.")
    return first.postcode


@transaction.atomic
def build_demo_people(areas: dict) -> list[tuple[str, str, str]]:
    """Create the demo borough's people, roles and organisations; return (role, e-mail, password) to print.

    ``areas`` is the dict from ``localpower.places.demo.build_demo_places()``.
    """
    borough = areas["borough"]
    north = areas["committees"]["north"]
    wards = areas["wards"]
    abbeyfield = areas["parishes"]["abbeyfield"]
    created = 0
    people: list[tuple[str, str, str]] = []

    def add(description: str, user: User, new: bool) -> User:
        nonlocal created
        created += new
        people.append((description, user.email, DEMO_PASSWORD))
        return user

    parish_council, new = _organisation(
        "abbeyfield-parish-council",
        name="Abbeyfield Parish Council",
        kind=OrganisationKind.PARISH_COUNCIL,
        area=abbeyfield,
        description="The parish council for Abbeyfield village.",
    )
    created += new
    friends, new = _organisation(
        "friends-of-castle-park",
        name="Friends of Castle Park",
        kind=OrganisationKind.CHARITY,
        area=wards["castle"],
        charity_number="1099999",
        company_number="09999999",
        description="Volunteers who look after Castle Park and run its summer fair.",
    )
    created += new

    admin = add("Administrator (whole borough)", *_person("admin", "Ada Administrator"))
    created += _role(admin, RoleKind.ADMINISTRATOR, area=borough)

    officer = add(f"Council officer ({north.name})", *_person("officer", "Olu Officer"))
    created += _role(officer, RoleKind.OFFICER, area=north)

    councillor = add(
        f"Councillor ({wards['abbey'].name} ward)",
        *_person(
            "councillor", "Cllr Chris Abbey", postcode=_first_postcode(wards["abbey"], outside=abbeyfield)
        ),
    )
    created += _role(councillor, RoleKind.COUNCILLOR, area=wards["abbey"])

    clerk = add(
        f"Parish clerk ({parish_council.name})",
        *_person("clerk", "Pat Clerk", postcode=_first_postcode(abbeyfield)),
    )
    created += _role(clerk, RoleKind.ADMINISTRATOR, organisation=parish_council)
    created += _role(clerk, RoleKind.OFFICER, area=abbeyfield)

    moderator = add("Moderator (whole borough)", *_person("moderator", "Mo Moderator"))
    created += _role(moderator, RoleKind.MODERATOR, area=borough)

    for local, name, ward, extra in (
        ("resident.castle", "Rosa Castle", "castle", f"; runs {friends.name}"),
        ("resident.riverside", "Ravi Riverside", "riverside", ""),
        ("resident.market", "Mia Market", "market", ""),
    ):
        resident = add(
            f"Resident, postcode verified ({wards[ward].name} ward{extra})",
            *_person(local, name, postcode=_first_postcode(wards[ward])),
        )
        if ward == "castle":
            created += _role(resident, RoleKind.ADMINISTRATOR, organisation=friends)

    newcomer = add(
        "Resident, postcode waiting for verification",
        *_person(
            "newcomer",
            "Nia Newcomer",
            postcode=_first_postcode(wards["abbey"], outside=abbeyfield),
            verified=False,
        ),
    )
    created += _role(newcomer, RoleKind.ORGANISATION_MEMBER, organisation=friends)

    if created:
        audit.record(
            action="accounts.demo_built",
            target=borough,
            summary=f"Created {created} demo people, roles and organisations",
            changes={"created": created},
        )
    return people
