import pytest

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.accounts.tests.factories import RoleFactory, UserFactory


def test_a_role_over_an_area_applies_to_the_areas_inside_it(officer, borough):
    assert roles.has_role(officer, RoleKind.OFFICER, borough["north"])
    assert roles.has_role(officer, RoleKind.OFFICER, borough["castle"])
    assert roles.has_role(officer, RoleKind.OFFICER, borough["abbeyfield"])
    assert not roles.has_role(officer, RoleKind.OFFICER, borough["district"])
    assert not roles.has_role(officer, RoleKind.OFFICER, borough["riverside"])
    assert not roles.has_role(officer, RoleKind.COUNCILLOR, borough["castle"])
    assert roles.has_role(officer, RoleKind.OFFICER)


def test_residents_are_residents_of_every_area_of_their_verified_postcode(resident, borough):
    assert [a.pk for a in resident.home_areas()] == [borough[k].pk for k in ("district", "north", "castle")]
    assert roles.has_role(resident, RoleKind.RESIDENT, borough["castle"])
    assert roles.has_role(resident, RoleKind.RESIDENT, borough["district"])
    assert not roles.has_role(resident, RoleKind.RESIDENT, borough["abbey"])
    assert roles.has_role(resident, RoleKind.RESIDENT)


def test_an_unverified_postcode_makes_no_one_a_resident(borough):
    user = UserFactory(home_postcode="TB2 1AA")
    assert user.home_areas() == []
    assert not roles.has_role(user, RoleKind.RESIDENT, borough["castle"])


def test_organisation_roles_do_not_count_as_area_roles(parish_clerk, parish_council, borough):
    assert roles.has_role(parish_clerk, RoleKind.ADMINISTRATOR, organisation=parish_council)
    assert not roles.has_role(parish_clerk, RoleKind.ADMINISTRATOR)
    assert not roles.has_role(parish_clerk, RoleKind.ADMINISTRATOR, borough["abbeyfield"])


def test_checks_cost_at_most_two_queries_and_are_then_cached(officer, borough, django_assert_max_num_queries):
    from localpower.accounts.models import User

    user = User.objects.get(pk=officer.pk)
    with django_assert_max_num_queries(2):
        assert roles.has_role(user, RoleKind.OFFICER, borough["abbeyfield"])
    with django_assert_max_num_queries(0):
        assert roles.has_role(user, RoleKind.OFFICER, borough["abbeyfield"])
        assert not roles.has_role(user, RoleKind.MODERATOR, borough["abbeyfield"])
        assert roles.has_role(user, RoleKind.OFFICER)


def test_clear_cache_sees_new_roles(officer, borough):
    assert not roles.has_role(officer, RoleKind.MODERATOR, borough["castle"])
    RoleFactory(user=officer, kind=RoleKind.MODERATOR, area=borough["castle"])
    roles.clear_cache(officer)
    assert roles.has_role(officer, RoleKind.MODERATOR, borough["castle"])


@pytest.mark.django_db
def test_anonymous_and_inactive_people_hold_no_roles(borough):
    from django.contrib.auth.models import AnonymousUser

    role = RoleFactory(kind=RoleKind.ADMINISTRATOR, area=borough["district"], user__is_active=False)
    assert not roles.has_role(role.user, RoleKind.ADMINISTRATOR)
    assert not roles.has_role(AnonymousUser(), RoleKind.ADMINISTRATOR)


def test_covered_area_ids(officer, borough):
    assert roles.covered_area_ids(officer, [RoleKind.OFFICER]) == {
        borough[k].pk for k in ("north", "abbey", "castle", "abbeyfield")
    }
