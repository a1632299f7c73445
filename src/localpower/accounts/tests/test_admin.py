import pytest
from django.urls import reverse

from localpower.accounts.models import User


@pytest.mark.parametrize(
    "name",
    ["admin:accounts_user_changelist", "admin:accounts_user_add", "admin:accounts_organisation_changelist"],
)
def test_django_admin_pages_open_for_superusers(client, superuser, name):
    client.force_login(superuser)
    assert client.get(reverse(name)).status_code == 200


def test_superuser_adds_a_person_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Added@Example.org",
            "password1": "a long password 123",
            "password2": "a long password 123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="added@example.org").exists()


def test_officers_cannot_use_the_django_admin(client, officer):
    client.force_login(officer)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302  # sent to the admin sign-in page
