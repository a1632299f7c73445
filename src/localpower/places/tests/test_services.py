import datetime

import pytest
from django.core.exceptions import ValidationError

from localpower.core.models import AuditEntry
from localpower.places import services
from localpower.places.models import Area, AreaKind
from localpower.places.tests.factories import AreaFactory, make_small_borough

pytestmark = pytest.mark.django_db


def test_create_area_checks_nesting_and_records_who_did_it(django_user_model):
    officer = django_user_model.objects.create_user("officer@example.org", "a-long-password-1")
    borough = make_small_borough()

    ward = services.create_area(actor=officer, name="New Town", kind=AreaKind.WARD, parent=borough["north"])

    assert ward.slug == "new-town"
    entry = AuditEntry.objects.get(action="places.area_created")
    assert entry.actor_id == officer.pk
    assert entry.summary == "Created ward New Town"
    with pytest.raises(ValidationError):
        services.create_area(actor=officer, name="Orphan", kind=AreaKind.WARD)
    assert not Area.objects.filter(name="Orphan").exists()


def test_slugs_are_made_unique():
    AreaFactory(name="Abbey", slug="abbey")
    AreaFactory(name="Abbey", slug="abbey-2")
    assert services.unique_slug("Abbey") == "abbey-3"
    assert services.unique_slug("St. Mary's & All Saints") == "st-marys-all-saints"


def test_renaming_an_area_clears_needs_name_and_is_audited():
    area = AreaFactory(name="E05000001", slug="e05000001", gss_code="E05000001", needs_name=True)

    services.update_area(actor=None, area=area, name="  Abbey  ")

    area.refresh_from_db()
    assert area.name == "Abbey"
    assert not area.needs_name
    entry = AuditEntry.objects.get(action="places.area_changed")
    assert entry.changes == {"name": ["E05000001", "Abbey"]}


def test_update_area_refuses_bad_changes_and_saves_nothing():
    borough = make_small_borough()
    with pytest.raises(ValidationError):
        services.update_area(actor=None, area=borough["abbey"], valid_to=datetime.date(1999, 1, 1))
    with pytest.raises(TypeError, match="needs_name"):
        services.update_area(actor=None, area=borough["abbey"], needs_name=True)
    borough["abbey"].refresh_from_db()
    assert borough["abbey"].valid_to is None
    assert not AuditEntry.objects.exists()


def test_an_unchanged_update_records_nothing():
    area = AreaFactory(name="Abbey")
    services.update_area(actor=None, area=area, name="Abbey")
    assert not AuditEntry.objects.exists()
