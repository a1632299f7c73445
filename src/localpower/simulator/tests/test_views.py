"""The residents' and officers' pages: no-JavaScript totals keep every choice, errors, review, send, results."""

from __future__ import annotations

import csv
import io
import json

import pytest

from localpower.simulator.models import Respondent, Submission
from localpower.simulator.tests.factories import levels, make_simulator

pytestmark = pytest.mark.django_db


def post_levels(simulator, *pcts, action="update", comments=None):
    data = {f"service_{pk}": str(p) for pk, p in levels(simulator, *pcts).items()}
    for pk, text in (comments or {}).items():
        data[f"comment_{pk}"] = text
    data["action"] = action
    return data


def test_the_page_shows_services_levels_consequences_and_target(client, borough):
    simulator = make_simulator(borough["north"])
    response = client.get(f"/budget-simulators/{simulator.slug}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Libraries" in text and "Save at least £100,000" in text
    assert "must meet the target: save at least £100,000." in text  # in a sentence, in lower case
    assert "Not balanced yet: find another £100,000." in text
    assert 'value="-30"' in text and "No change" in text
    assert "Sign in" in text  # anyone can try it; sending needs an account


def test_update_totals_without_javascript_keeps_choices_and_comments(client, borough, resident):
    simulator = make_simulator(borough["north"])
    libraries = simulator.services.get(name="Libraries")
    client.force_login(resident)
    response = client.post(
        f"/budget-simulators/{simulator.slug}/",
        post_levels(simulator, -30, 0, -10, comments={libraries.pk: "Fewer branches, please"}),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f'name="service_{libraries.pk}" type="radio" value="-30" data-pct="-30"' in text
    assert "checked" in text.split(f'name="service_{libraries.pk}" type="radio" value="-30"')[1][:200]
    assert "Fewer branches, please" in text
    assert "Libraries at -30%: big changes." in text  # the consequence of the chosen level
    assert "Balanced: your budget meets the target." in text  # saves £60,000 + £50,000
    assert "£890,000" in text


def test_continue_when_unbalanced_shows_the_error_summary(client, borough, resident):
    simulator = make_simulator(borough["north"])
    client.force_login(resident)
    response = client.post(
        f"/budget-simulators/{simulator.slug}/", post_levels(simulator, -10, 0, 0, action="continue")
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in text
    assert "find another £80,000" in text


def test_a_level_off_the_list_is_an_error_naming_the_service(client, borough, resident):
    simulator = make_simulator(borough["north"])
    client.force_login(resident)
    response = client.post(
        f"/budget-simulators/{simulator.slug}/", post_levels(simulator, -15, 0, 0, action="continue")
    )
    assert response.status_code == 400
    assert "Choose one of the levels shown for Libraries" in response.content.decode()


def test_check_then_send_then_thank_you(client, borough, resident):
    simulator = make_simulator(borough["north"])
    client.force_login(resident)
    url = f"/budget-simulators/{simulator.slug}/"
    response = client.post(url, post_levels(simulator, -10, -10, -10, action="continue"))
    text = response.content.decode()
    assert response.status_code == 200 and "Check your budget before you send it" in text
    packed = response.context["form"].initial
    # Changing my mind brings back the form with the same choices.
    back = client.post(url, {**packed, "action": "change"})
    assert "Balanced: your budget meets the target." in back.content.decode()
    sent = client.post(url, {**packed, "action": "submit"})
    assert sent.status_code == 302 and sent["Location"].endswith("/sent/")
    assert Submission.objects.filter(simulator=simulator).count() == 1
    # The same form again (a double click) records nothing new.
    client.post(url, {**packed, "action": "submit"})
    assert Submission.objects.filter(simulator=simulator).count() == 1
    assert "Budget sent" in client.get(sent["Location"]).content.decode()
    again = client.get(url).content.decode()
    assert "You have sent your budget" in again
    # Somewhere to go next: when the results come, and other ways to take part.
    assert "will be published here when the simulator closes on" in again and "/have-your-say/" in again


def test_tampered_review_is_refused_without_recording(client, borough, resident):
    simulator = make_simulator(borough["north"])
    client.force_login(resident)
    choices = json.dumps({"levels": {str(k): 0 for k in levels(simulator, 0, 0, 0)}})
    response = client.post(
        f"/budget-simulators/{simulator.slug}/", {"choices": choices, "key": "abc", "action": "submit"}
    )
    assert response.status_code == 400
    assert "find another £100,000" in response.content.decode()
    assert not Respondent.objects.exists()


def test_outsiders_cannot_send(client, borough, outsider):
    simulator = make_simulator(borough["north"])
    client.force_login(outsider)
    response = client.post(
        f"/budget-simulators/{simulator.slug}/", post_levels(simulator, -10, -10, -10, action="continue")
    )
    assert response.status_code == 403
    assert "Only residents of North Area Committee" in response.content.decode()


def test_drafts_are_hidden_and_results_wait_for_closing(client, borough):
    draft = make_simulator(borough["north"], "draft")
    assert client.get(f"/budget-simulators/{draft.slug}/").status_code == 404
    open_one = make_simulator(borough["north"])
    assert (
        "once the simulator closes"
        in client.get(f"/budget-simulators/{open_one.slug}/results/").content.decode()
    )
    assert client.get(f"/budget-simulators/{open_one.slug}/results.csv").status_code == 404


def _fill(simulator, rows):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES
    from localpower.simulator import services

    for i, (pcts, comment) in enumerate(rows):
        user = UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], display_name=f"Person {i}")
        choices = levels(simulator, *pcts)
        first = next(iter(choices))
        services.submit(
            actor=user,
            simulator=simulator,
            choices=choices,
            comments={first: comment},
            idempotency_key=f"k{i}",
        )


def test_results_and_exports_once_closed(client, borough, officer):
    from localpower.simulator.tests.factories import dates

    simulator = make_simulator(borough["north"])
    _fill(simulator, [((-30, -20, 0), "=SUM(A1)"), ((-10, -10, -10), ""), ((0, 0, -20), "Roads matter less")])
    simulator.closes_at = dates("closed")["closes_at"]
    simulator.opens_at = dates("closed")["opens_at"]
    simulator.save()
    page = client.get(f"/budget-simulators/{simulator.slug}/results/").content.decode()
    assert "3 people sent a balanced budget." in page
    assert "The community budget" in page and "lp-sim-bar--" in page and "style=" not in page
    # The most chosen level fills the chart; the others are in proportion to it.
    roads = next(
        r
        for r in client.get(f"/budget-simulators/{simulator.slug}/results/").context["results"].services
        if r.service.name == "Roads"
    )
    assert max(d["bar"] for d in roads.distribution) == 100
    assert "lp-sim-bar--100" in page
    # Comments are for officers: the public page neither shows nor counts them.
    assert "Roads matter less" not in page and "comment" not in page.split("How people changed")[1]
    public = list(
        csv.reader(
            io.StringIO(client.get(f"/budget-simulators/{simulator.slug}/results.csv").content.decode())
        )
    )
    assert public[0] == ["response", "Libraries (change %)", "Parks (change %)", "Roads (change %)"]
    assert len(public) == 4
    client.force_login(officer)
    staff = client.get(f"/staff/simulators/{simulator.slug}/responses.csv").content.decode()
    rows = list(csv.reader(io.StringIO(staff)))
    assert "Libraries (comment)" in rows[0] and "name" not in rows[0]
    assert any("'=SUM(A1)" in row for row in rows)  # a formula is defused
    assert "Person" not in staff
    staff_results = client.get(f"/staff/simulators/{simulator.slug}/results/").content.decode()
    assert "2 comments" in staff_results and "Read the comments on Libraries" in staff_results
    comments = client.get(f"/staff/simulators/{simulator.slug}/comments/?q=roads").content.decode()
    assert "Roads matter less" in comments and "1 comment" in comments


def test_officer_sets_up_a_simulator_and_a_service(client, borough, officer):
    client.force_login(officer)
    response = client.post(
        "/staff/simulators/new/",
        {
            "title": "Balancing 2027",
            "slug": "balancing-2027",
            "area": borough["north"].pk,
            "introduction": "",
            "opens_at_day": "1",
            "opens_at_month": "1",
            "opens_at_year": "2027",
            "closes_at_day": "1",
            "closes_at_month": "2",
            "closes_at_year": "2027",
            "target_kind": "save",
            "target_amount": "250000",
            "step_pct": "5",
            "audience": "residents",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    # "Closes 1 February" is the last day to respond (the pages say "Open until 1 February 2027").
    from django.utils import timezone

    from localpower.simulator.models import Simulator

    simulator = Simulator.objects.get(slug="balancing-2027")
    closes = timezone.localtime(simulator.closes_at)
    assert (closes.year, closes.month, closes.day, closes.hour, closes.minute) == (2027, 2, 1, 23, 59)
    response = client.post(
        "/staff/simulators/balancing-2027/services/new/",
        {
            "name": "Libraries",
            "description": "Six branches",
            "current_spend": "2400000",
            "min_change_pct": "-30",
            "max_change_pct": "10",
            "order": "10",
            "level_m30": "Close three branches",
            "level_m10": "Shorter hours",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get("/staff/simulators/balancing-2027/").content.decode()
    assert "Libraries" in page and "£2,400,000" in page
    form = client.get(
        "/staff/simulators/balancing-2027/services/" + page.split("/services/")[1].split("/")[0] + "/"
    )
    assert "Close three branches" in form.content.decode()
    # Every box, including those for each level (added after the form styled its fields), is a GOV.UK textarea.
    for name in ("description", "level_m30", "level_0", "level_10"):
        widget = form.context["form"][name].field.widget
        assert "govuk-textarea" in widget.attrs["class"], name
    assert "What would happen with no change" in form.content.decode()


def test_open_simulators_on_have_your_say_and_the_area_page(client, borough):
    simulator = make_simulator(borough["north"], title="Balancing 2027")
    make_simulator(borough["north"], "draft", title="Secret draft")
    hub = client.get("/have-your-say/").content.decode()
    assert "Balancing 2027" in hub and "Secret draft" not in hub
    area = client.get(f"/areas/{borough['castle'].slug}/").content.decode()
    assert "Budget simulators" in area and simulator.get_absolute_url() in area
    listing = client.get("/budget-simulators/").content.decode()
    assert "Balancing 2027" in listing and "Secret draft" not in listing


def test_sending_again_and_again_is_rate_limited(client, borough, resident):
    simulator = make_simulator(borough["north"])
    client.force_login(resident)
    url = f"/budget-simulators/{simulator.slug}/"
    review = (
        client.post(url, post_levels(simulator, -10, -10, -10, action="continue")).context["form"].initial
    )
    statuses = [
        client.post(url, {**review, "key": f"k{i}", "action": "submit"}).status_code for i in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert Submission.objects.count() == 1


def test_officers_cannot_change_services_once_people_respond(client, borough, officer, resident):
    from localpower.simulator import services

    simulator = make_simulator(borough["north"])
    services.submit(
        actor=resident, simulator=simulator, choices=levels(simulator, -10, -10, -10), idempotency_key="k"
    )
    parks = simulator.services.get(name="Parks")
    client.force_login(officer)
    response = client.get(f"/staff/simulators/{simulator.slug}/services/{parks.pk}/", follow=True)
    assert "People have already responded" in response.content.decode()
    response = client.post(f"/staff/simulators/{simulator.slug}/services/{parks.pk}/delete/", follow=True)
    assert "People have already responded" in response.content.decode()
    assert simulator.services.count() == 3
    # The title can still change; the target field is shown but cannot be changed.
    edit = client.get(f"/staff/simulators/{simulator.slug}/edit/")
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update(
        {
            "title": "Renamed",
            "target_amount": "1",
            "opens_at_day": simulator.opens_at.day,
            "opens_at_month": simulator.opens_at.month,
            "opens_at_year": simulator.opens_at.year,
            "closes_at_day": simulator.closes_at.day,
            "closes_at_month": simulator.closes_at.month,
            "closes_at_year": simulator.closes_at.year,
            "area": borough["north"].pk,
            "anonymous": "on",
        }
    )
    data.pop("opens_at", None)
    data.pop("closes_at", None)
    response = client.post(f"/staff/simulators/{simulator.slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    simulator.refresh_from_db()
    assert simulator.title == "Renamed" and simulator.target_amount == 100000


def test_staff_pages_are_for_the_areas_staff(client, borough, officer_south, resident):
    simulator = make_simulator(borough["north"])
    client.force_login(resident)
    assert client.get("/staff/simulators/").status_code == 403
    client.force_login(officer_south)
    assert client.get("/staff/simulators/").status_code == 200
    for path in ("", "edit/", "results/", "comments/", "responses.csv", "services/new/"):
        assert client.get(f"/staff/simulators/{simulator.slug}/{path}").status_code == 403, path


def test_results_table_export(client, borough, officer):
    simulator = make_simulator(borough["north"])
    _fill(simulator, [((-30, -20, 0), ""), ((-10, -10, -10), ""), ((0, 0, -20), "")])
    client.force_login(officer)
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/staff/simulators/{simulator.slug}/results.csv").content.decode())
        )
    )
    assert rows[0][:7] == [
        "service", "current spend", "responses", "mean change %", "median change %",
        "community budget change %", "community budget spend",
    ]  # fmt: skip
    assert rows[0][7:] == [f"people choosing {p:+d}%" for p in (-30, -20, -10, 0, 10)]
    # Libraries chose -30, -10, 0: mean -13.33, median -10. Community budget: medians -10, -10, -10 save
    # £100,000 exactly, so nothing more is cut.
    assert rows[1] == [
        "Libraries",
        "200000.00",
        "3",
        "-13.33",
        "-10",
        "-10",
        "180000.00",
        "1",
        "0",
        "1",
        "1",
        "0",
    ]
    assert rows[3][7] == ""  # roads cannot be cut by 30%


def test_closing_asks_first_because_it_cannot_be_undone(client, borough, officer):
    simulator = make_simulator(borough["north"])
    client.force_login(officer)
    state = f"/staff/simulators/{simulator.slug}/state/"
    response = client.post(state, {"action": "close"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Are you sure you want to close the simulator now?" in page and "cannot be undone" in page
    simulator.refresh_from_db()
    assert simulator.state == "published"
    response = client.post(state, {"action": "close", "confirm": "yes"})
    assert response.status_code == 302
    simulator.refresh_from_db()
    assert simulator.state == "closed"
