import pytest
from django.db import DatabaseError, connection, transaction

from localpower.core import audit
from localpower.core.models import AuditEntry
from localpower.places.models import Area


@pytest.mark.django_db
def test_record_keeps_who_did_what_to_which_object(django_user_model, rf):
    officer = django_user_model.objects.create_user("officer@example.org", "a-long-password-1")
    area = Area.objects.create(name="Abbey", slug="abbey", kind="ward")
    request = rf.post("/", REMOTE_ADDR="192.0.2.7")

    entry = audit.record(
        actor=officer, action="area.renamed", target=area, summary="Renamed", request=request
    )

    entry.refresh_from_db()
    assert entry.actor_id == officer.pk
    assert entry.actor_label == "officer@example.org"
    assert entry.object_repr == "Abbey"
    assert entry.content_type.model == "area"
    assert entry.object_id == str(area.pk)
    assert entry.ip_address == "192.0.2.7"


@pytest.mark.django_db
def test_system_actions_are_labelled_system():
    entry = audit.record(action="import.finished", summary="Imported 3 postcodes")
    assert entry.actor_label == "system"
    assert entry.actor_id is None


@pytest.mark.django_db
def test_an_entry_cannot_be_changed_through_the_model():
    entry = audit.record(action="thing.done")
    entry.summary = "rewritten history"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()


@pytest.mark.django_db
def test_the_database_refuses_to_change_an_entry_even_with_raw_sql():
    entry = audit.record(action="thing.done", summary="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET summary = %s WHERE id = %s", ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "original"


@pytest.mark.django_db
def test_each_entry_is_written_with_its_id_time_and_details():
    first = audit.record(action="thing.done", changes={"from": 1, "to": 2})
    second = audit.record(action="thing.done")
    assert first.pk != second.pk
    stored = AuditEntry.objects.get(pk=first.pk)
    assert stored.changes == {"from": 1, "to": 2}
    assert stored.created_at == first.created_at
    assert AuditEntry.objects.get(pk=second.pk).changes == {}
