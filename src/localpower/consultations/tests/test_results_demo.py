"""The results pages on the demo consultations: realistic data, every kind of question."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.consultations.demo import build_demo_consultations
from localpower.consultations.models import Consultation


@pytest.fixture
def demo(db):
    from localpower.accounts.demo import build_demo_people
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    build_demo_people(areas)
    build_demo_consultations(areas)
    return areas


def test_staff_results_pages_work_on_the_demo(demo, client, superuser):
    client.force_login(superuser)
    for consultation in Consultation.objects.exclude(state="draft"):
        for name in (
            "staff-results",
            "staff-responses",
            "staff-export-csv",
            "staff-export-xlsx",
            "staff-outcome",
        ):
            response = client.get(reverse(f"consultations:{name}", args=[consultation.slug]))
            assert response.status_code == 200, (consultation.slug, name)
    library = client.get(reverse("consultations:staff-results", args=["future-of-riverside-library"]))
    assert "150 sent responses." in library.content.decode()


def test_public_summary_of_the_responded_demo(demo, client):
    park = Consultation.objects.get(slug="castle-park-summer-events")
    page = client.get(reverse("consultations:summary", args=[park.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "You said, we did" in html and "86 responses were sent" in html
    assert (
        "Castle Park summer events" in client.get(reverse("consultations:you-said-we-did")).content.decode()
    )
    api = client.get("/api/v1/consultations/castle-park-summer-events/summary", HTTP_HOST="localhost")
    assert api.status_code == 200 and api.json()["responses"] == 86
