import datetime

import pytest
from django.utils import timezone

from localpower.accounts import services
from localpower.accounts.models import ApiToken
from localpower.accounts.tests.factories import UserFactory
from localpower.accounts.tokens import authenticate_token

pytestmark = pytest.mark.django_db


def test_authenticate_token_records_last_use():
    user = UserFactory()
    token, raw = services.create_api_token(user=user, name="Script")
    assert token.last_used_at is None
    assert authenticate_token(raw) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", [None, "", "Bearer x", "lp_", "lp_abcd1234_wrong", "x" * 500])
def test_unknown_or_malformed_tokens_give_no_one(raw):
    services.create_api_token(user=UserFactory(), name="Script")
    assert authenticate_token(raw) is None


def test_tokens_of_a_closed_account_stop_working():
    user = UserFactory()
    _token, raw = services.create_api_token(user=user, name="Script")
    user.is_active = False
    user.save()
    assert authenticate_token(raw) is None


def test_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    user = UserFactory()
    token, raw = services.create_api_token(user=user, name="Script")
    recent = timezone.now() - datetime.timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    with django_assert_num_queries(1):
        assert authenticate_token(raw) == user


def test_a_person_can_hold_a_limited_number_of_tokens():
    from django.core.exceptions import ValidationError

    user = UserFactory()
    for number in range(services.MAX_API_TOKENS):
        services.create_api_token(user=user, name=f"Token {number}")
    with pytest.raises(ValidationError, match="You can have up to"):
        services.create_api_token(user=user, name="One too many")
