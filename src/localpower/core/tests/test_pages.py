import pytest
from django import forms

from localpower.core.forms import GovukForm


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Have your say in your area"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
    ],
)
def test_public_pages_render_with_council_branding(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    assert "Demo Borough Council" in html
    assert 'href="#main-content"' in html  # skip link
    assert "GDS Transport" not in html


@pytest.mark.django_db
def test_every_response_has_a_content_security_policy_with_a_fresh_nonce(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in first
    assert "frame-ancestors 'none'" in first
    assert "'unsafe-inline'" not in first
    assert first != second


@pytest.mark.django_db
def test_inline_style_carries_the_request_nonce(client):
    response = client.get("/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_council_colour_comes_from_settings(client, settings):
    settings.COUNCIL_COLOUR = "#00703c"
    assert "--lp-brand-colour: #00703c" in client.get("/").content.decode()


class _ExampleForm(GovukForm):
    name = forms.CharField(label="Your name", help_text="As on your council tax bill")
    choice = forms.ChoiceField(label="Pick one", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_form_errors_render_as_govuk_components():
    form = _ExampleForm(data={})
    assert not form.is_valid()
    html = str(form)
    assert "govuk-form-group--error" in html
    assert 'class="govuk-error-message"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "govuk-input--error" in html
    # Radios are grouped in a fieldset with a legend, not a bare label.
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Pick one</legend>' in html


def test_error_summary_links_to_each_field():
    from django.template import Context, Template

    form = _ExampleForm(data={})
    form.is_valid()
    html = Template("{% govuk_error_summary form %}").render(Context({"form": form}))
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert 'href="#id_choice_0"' in html
