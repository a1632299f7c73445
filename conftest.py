"""Shared pytest fixtures: fast password hashing and the people ("personas") most tests need.

Personas live in the small borough from ``localpower.places.tests.factories.make_small_borough()``:
Testborough district -> North (Abbey, Castle wards; Abbeyfield parish in Abbey) and South (Riverside, Meadow).
Every persona's password is ``localpower.accounts.tests.factories.PASSWORD``.
"""

from __future__ import annotations

import pytest


def _django_active(config) -> bool:
    # The counting engine's tests also run without Django (`pytest -p no:django src/localpower/tally`).
    return config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True, scope="session")
def _test_storage_and_cache(request):
    """Static files by their plain names, so tests need no collectstatic (and no stale manifest); and an
    in-memory cache, because the database cache table is not emptied between tests that commit (browser
    tests), so rate-limit counters would leak from one test into another."""
    if not _django_active(request.config):
        yield
        return
    from django.test.utils import override_settings

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}},
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache(request):
    if not _django_active(request.config):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(request):
    # Argon2 is deliberately slow; tests only need a hasher that works.
    if not _django_active(request.config):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def borough(db):
    from localpower.places.tests.factories import make_small_borough

    return make_small_borough()


def _role(user, kind, *, area=None, organisation=None):
    from localpower.accounts.tests.factories import RoleFactory

    RoleFactory(user=user, kind=kind, area=area, organisation=organisation)
    return user


@pytest.fixture
def resident(borough):
    """Lives in Castle ward (North committee); postcode verified; no roles."""
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    return UserFactory(
        email="resident@example.org",
        display_name="Rosa Resident",
        verified_postcode=SMALL_BOROUGH_POSTCODES["castle"],
    )


@pytest.fixture
def officer(borough):
    """Council officer for the North area committee (Abbey and Castle wards, Abbeyfield parish)."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory

    user = UserFactory(email="officer@example.org", display_name="Olu Officer")
    return _role(user, RoleKind.OFFICER, area=borough["north"])


@pytest.fixture
def officer_south(borough):
    """Council officer for the South area committee (Riverside and Meadow wards)."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory

    user = UserFactory(email="officer.south@example.org", display_name="Sam South")
    return _role(user, RoleKind.OFFICER, area=borough["south"])


@pytest.fixture
def councillor(borough):
    """Councillor for Abbey ward."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory

    user = UserFactory(email="councillor@example.org", display_name="Cllr Chris Councillor")
    return _role(user, RoleKind.COUNCILLOR, area=borough["abbey"])


@pytest.fixture
def moderator(borough):
    """Moderator for the whole district."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory

    user = UserFactory(email="moderator@example.org", display_name="Mo Moderator")
    return _role(user, RoleKind.MODERATOR, area=borough["district"])


@pytest.fixture
def administrator(borough):
    """Administrator for the whole district."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory

    user = UserFactory(email="administrator@example.org", display_name="Ada Administrator")
    return _role(user, RoleKind.ADMINISTRATOR, area=borough["district"])


@pytest.fixture
def parish_council(borough):
    """The organisation "Abbeyfield Parish Council", for the Abbeyfield parish area."""
    from localpower.accounts.models import OrganisationKind
    from localpower.accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(
        name="Abbeyfield Parish Council",
        slug="abbeyfield-parish-council",
        kind=OrganisationKind.PARISH_COUNCIL,
        area=borough["abbeyfield"],
    )


@pytest.fixture
def parish_clerk(borough, parish_council):
    """Clerk of Abbeyfield Parish Council: administrator of the organisation and officer for the parish."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory

    user = UserFactory(email="clerk@example.org", display_name="Pat Clerk")
    _role(user, RoleKind.ADMINISTRATOR, organisation=parish_council)
    return _role(user, RoleKind.OFFICER, area=borough["abbeyfield"])


@pytest.fixture
def organisation_member(borough, parish_council):
    """A member (not administrator) of Abbeyfield Parish Council, living in the parish."""
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    user = UserFactory(
        email="member@example.org",
        display_name="Mel Member",
        verified_postcode=SMALL_BOROUGH_POSTCODES["abbeyfield"],
    )
    return _role(user, RoleKind.ORGANISATION_MEMBER, organisation=parish_council)


@pytest.fixture
def outsider(db):
    """Signed up and verified their e-mail address, but has no postcode and no roles."""
    from localpower.accounts.tests.factories import UserFactory

    return UserFactory(email="outsider@example.org", display_name="Owen Outsider")


@pytest.fixture
def superuser(db):
    from localpower.accounts.models import User
    from localpower.accounts.tests.factories import PASSWORD

    return User.objects.create_superuser("superuser@example.org", PASSWORD, display_name="Super User")
