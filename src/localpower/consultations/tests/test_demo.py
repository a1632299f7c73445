"""The demo consultations: built once, the same every time, and safe to build again."""

from __future__ import annotations

import pytest

from localpower.consultations.demo import build_demo_consultations
from localpower.consultations.models import Answer, Consultation, ConsultationKind, Response, Status


@pytest.fixture
def areas(db):
    from localpower.accounts.demo import build_demo_people
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    build_demo_people(areas)
    return areas


def test_demo_consultations_are_built_once(areas):
    made = build_demo_consultations(areas)
    assert len(made) == 3
    library = Consultation.objects.get(slug="future-of-riverside-library")
    assert library.status == Status.OPEN
    assert Response.objects.filter(consultation=library, status="submitted").count() == 150
    kinds = set(library.sections.values_list("questions__kind", flat=True))
    assert len(kinds) >= 8
    assert library.sections.filter(condition_question__isnull=False).exists()
    assert Answer.objects.filter(response__consultation=library, question__kind="long_text").count() > 20
    # People who do not use the library never answered the questions about using it.
    hidden = library.sections.get(condition_question__isnull=False)
    no = library.sections.get(order=1).questions.get(kind="single_choice", order=1).options.get(text="No")
    non_users = Response.objects.filter(consultation=library, answers__picked__option=no)
    assert non_users.exists()
    assert not Answer.objects.filter(response__in=non_users, question__section=hidden).exists()

    call = Consultation.objects.get(kind=ConsultationKind.CALL_FOR_EVIDENCE)
    assert call.status == Status.OPEN and call.documents.filter(url__startswith="https://").count() == 2
    park = Consultation.objects.get(slug="castle-park-summer-events")
    assert park.status == Status.RESPONDED and park.responses.count() == 86

    counts = (Consultation.objects.count(), Response.objects.count(), Answer.objects.count())
    assert build_demo_consultations(areas) == []
    assert (Consultation.objects.count(), Response.objects.count(), Answer.objects.count()) == counts


def test_demo_pages_show(areas, client):
    build_demo_consultations(areas)
    listing = client.get("/consultations/").content.decode()
    assert "The future of Riverside Library" in listing and "Castle Park summer events" in listing
    page = client.get("/consultations/future-of-riverside-library/")
    assert page.status_code == 200 and "Respond now" in page.content.decode()
    assert client.get("/consultations/castle-park-summer-events/").status_code == 200
    have_your_say = client.get("/have-your-say/").content.decode()
    assert "Riverside Library" in have_your_say and "Calls for evidence" in have_your_say
    area = client.get(areas["wards"]["riverside"].get_absolute_url()).content.decode()
    assert "The future of Riverside Library" in area
