from __future__ import annotations

import pytest


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def conversation(borough):
    from localpower.conversations.tests.factories import make_conversation

    return make_conversation(
        borough["north"], title="How should we make Castle Park better?", slug="castle-park"
    )


@pytest.fixture
def signed_in_only(borough):
    from localpower.conversations.models import Eligibility
    from localpower.conversations.tests.factories import make_conversation

    return make_conversation(borough["north"], eligibility=Eligibility.SIGNED_IN, slug="anyone")


@pytest.fixture
def make_resident(borough):
    """More verified residents of Castle ward (North)."""
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    def make(**kwargs):
        return UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], **kwargs)

    return make
