"""Demo consultations for the fictional Demo Borough. Safe to run again.

* Riverside ward: "The future of Riverside Library", open, a four-page survey using most kinds of question,
  with a page shown only to people who use the library, and about 150 synthetic responses already in;
* the whole borough: an open call for evidence on damp and mould in rented homes, with documents as links;
* Castle ward: "Castle Park summer events", closed, with responses and a published "You said, we did".

Synthetic responses have no respondent and references like ``DM-LIB-0001``. They are made from a fixed random
seed, so every demo borough gets the same figures. A consultation that already exists is left as it is.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from localpower.consultations.models import (
    Anonymity,
    Answer,
    Audience,
    Choice,
    Consultation,
    ConsultationKind,
    ConsultationState,
    Document,
    Option,
    Outcome,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Section,
)
from localpower.core import audit

DAY = datetime.timedelta(days=1)
SEED = 20261124

LIBRARY_COMMENTS = [
    "The library is the only warm, quiet place my children can do homework.",
    "Please keep the Saturday opening. I work all week.",
    "Moving into the community centre makes sense if the hours are longer.",
    "The building is cold and the roof leaks. Spend the money on services, not the building.",
    "I use the computers to apply for jobs. Without them I would be stuck.",
    "Volunteers are great but they cannot replace trained library staff.",
    "Parking near the community centre is already difficult.",
    "More events for older people, please: the reading group is a lifeline.",
    "Sharing with the GP surgery could bring in people who never visit now.",
    "Open later on weekdays so that people who work can use it.",
    "The children's rhyme time is always full. Run it twice a week.",
    "Better wifi and more plug sockets for students.",
    "Whatever you decide, keep the local history collection in Riverside.",
    "A mobile library van would help people in Meadow who cannot get into town.",
]
CASTLE_COMMENTS = [
    "The fair is the best day of the year in Castle ward.",
    "Too loud and it went on too late last year.",
    "More for teenagers, please: a skate jam or a music stage.",
    "Clean up the park properly afterwards. Litter was everywhere for a week.",
    "Keep it free to get in.",
    "Local food stalls rather than the same burger vans.",
    "The outdoor cinema night was brilliant: do it again.",
]


def _consultation(slug: str, **fields) -> tuple[Consultation, bool]:
    existing = Consultation.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    consultation = Consultation(slug=slug, **fields)
    consultation.full_clean()
    consultation.save()
    return consultation, True


def _section(consultation, order, title, description="") -> Section:
    return Section.objects.create(
        consultation=consultation, order=order, title=title, description=description
    )


def _question(section, kind, text, *, options=(), **fields) -> Question:
    question = Question.objects.create(
        section=section, kind=kind, text=text, order=section.questions.count() + 1, **fields
    )
    Option.objects.bulk_create(
        Option(question=question, text=option, order=i) for i, option in enumerate(options, start=1)
    )
    return question


def _weighted(rng: random.Random, options: list[Option], weights: list[float]) -> Option:
    return rng.choices(options, weights=weights, k=1)[0]


def _responses(consultation: Consultation, prefix: str, count: int, answer_one, now, rng) -> None:
    """``count`` sent responses; ``answer_one(rng)`` gives one person's answers as {question: value} (value: a
    list of options (in rank order for ranking), a Decimal, a (lat, long, text) triple, or text)."""
    span = max(1, int((min(now, consultation.closes_at) - consultation.opens_at).total_seconds()))
    responses = []
    all_answers = []
    for n in range(1, count + 1):
        sent = consultation.opens_at + datetime.timedelta(seconds=rng.randrange(span))
        responses.append(
            Response(
                consultation=consultation,
                reference=f"DM-{prefix}-{n:04d}",
                status=ResponseStatus.SUBMITTED,
                created_at=sent - datetime.timedelta(minutes=rng.randint(3, 40)),
                submitted_at=sent,
            )
        )
        all_answers.append(answer_one(rng))
    Response.objects.bulk_create(responses)
    responses = list(Response.objects.filter(consultation=consultation).order_by("reference"))
    answers, picks = [], []
    for response, given in zip(responses, all_answers, strict=True):
        for question, value in given.items():
            answer = Answer(response=response, question=question)
            if question.has_options:
                picks.append((answer, question, value))
            elif isinstance(value, Decimal):
                answer.number = value
            elif isinstance(value, tuple):
                answer.latitude, answer.longitude, answer.text = value
            else:
                answer.text = value
            answers.append(answer)
    Answer.objects.bulk_create(answers)
    Choice.objects.bulk_create(
        Choice(answer=answer, option=option, rank=i if question.kind == QuestionKind.RANKING else None)
        for answer, question, chosen in picks
        for i, option in enumerate(chosen, start=1)
    )


def _library(areas, now, rng) -> Consultation | None:
    riverside = areas["wards"]["riverside"]
    consultation, created = _consultation(
        "future-of-riverside-library",
        area=riverside,
        run_by="Libraries and Culture team",
        kind=ConsultationKind.CONSULTATION,
        title="The future of Riverside Library",
        summary="The library building needs £400,000 of repairs. Tell us which option you prefer for the "
        "library service in Riverside.",
        description=(
            "Riverside Library has served the ward since 1962. The roof, heating and windows now need about "
            "£400,000 of repairs, and the council's budget for libraries is falling.\n\n"
            "We have four options: keep the building and open fewer hours; move the library into Riverside "
            "Community Centre with longer hours; share a new building with the GP surgery; or hand the day-to-day "
            "running to volunteers with council support.\n\n"
            "No decision has been made. The council's cabinet will decide in the spring, using what you tell us."
        ),
        opens_at=(now - 10 * DAY).replace(hour=0, minute=0, second=0, microsecond=0),
        closes_at=(now + 30 * DAY).replace(hour=0, minute=0, second=0, microsecond=0),
        audience=Audience.EVERYONE,
        anonymity=Anonymity.IDENTIFIED,
        state=ConsultationState.PUBLISHED,
        published_at=now - 10 * DAY,
    )
    if not created:
        return None
    Document.objects.create(
        consultation=consultation,
        title="Riverside Library options appraisal (summary)",
        url="https://www.example.org/riverside-library/options-appraisal",
        order=1,
    )
    Document.objects.create(
        consultation=consultation,
        title="Building condition survey, 2026",
        url="https://www.example.org/riverside-library/condition-survey",
        order=2,
    )
    about = _section(consultation, 1, "About you", "These questions help us understand who has responded.")
    use = _question(
        about,
        QuestionKind.SINGLE_CHOICE,
        "Do you use Riverside Library?",
        options=["Yes, at least once a month", "Yes, now and then", "No"],
        required=True,
    )
    age = _question(
        about,
        QuestionKind.SINGLE_CHOICE,
        "How old are you?",
        options=["Under 18", "18 to 34", "35 to 64", "65 or over"],
    )
    postcode = _question(
        about,
        QuestionKind.POSTCODE,
        "What is your postcode?",
        hint="So we can see which areas responses come from.",
    )
    using = _section(consultation, 2, "How you use the library")
    using.condition_question = use
    using.save()
    using.condition_options.set(use.options.exclude(text="No"))
    services = _question(
        using,
        QuestionKind.MULTIPLE_CHOICE,
        "Which services do you use?",
        options=[
            "Borrowing books",
            "Computers and wifi",
            "Children's activities",
            "Study space",
            "Events and clubs",
        ],
        max_choices=3,
    )
    hours = _question(
        using,
        QuestionKind.SCALE,
        "How well do the opening hours suit you?",
        options=["Very badly", "Badly", "Neither well nor badly", "Well", "Very well"],
    )
    visits = _question(
        using,
        QuestionKind.NUMBER,
        "About how many times a month do you visit?",
        number_min=Decimal("0"),
        number_max=Decimal("31"),
    )
    options_page = _section(
        consultation, 3, "The options", "Read the options appraisal before answering if you can."
    )
    ranking = _question(
        options_page,
        QuestionKind.RANKING,
        "Put the four options in order, your favourite first",
        options=[
            "Keep the building, open fewer hours",
            "Move into Riverside Community Centre, open longer",
            "Share a new building with the GP surgery",
            "Volunteers run it with council support",
        ],
        required=True,
    )
    agree = _question(
        options_page,
        QuestionKind.SCALE,
        "How much do you agree that the library should stay in its current building?",
        options=["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
    )
    else_ = _question(
        options_page, QuestionKind.LONG_TEXT, "Is there anything else you want to tell us?", max_length=5000
    )
    where = _question(
        options_page,
        QuestionKind.MAP_POINT,
        "If the library moved, where would be easiest for you to reach?",
        max_length=500,
    )
    _question(options_page, QuestionKind.FILE, "Upload anything you would like us to see")
    postcodes = ["DB5 1AA", "DB5 1AB", "DB5 2AA", "DB6 1AA", "DB5 1AD", "DB6 2AA"]
    use_options = list(use.options.all())
    rank_options = list(ranking.options.all())

    def one(rng):
        given = {use: [_weighted(rng, use_options, [5, 3, 2])]}
        if rng.random() < 0.8:
            given[age] = [_weighted(rng, list(age.options.all()), [1, 3, 4, 3])]
        if rng.random() < 0.6:
            given[postcode] = rng.choice(postcodes)
        if given[use][0].text != "No":
            given[services] = rng.sample(list(services.options.all()), rng.randint(1, 3))
            given[hours] = [_weighted(rng, list(hours.options.all()), [2, 4, 3, 3, 1])]
            given[visits] = Decimal(rng.randint(1, 12))
        weights = [3, 4, 2, 1]
        order = []
        pool = list(zip(rank_options, weights, strict=True))
        for _ in range(rng.randint(2, 4)):
            chosen = rng.choices(pool, weights=[w for _o, w in pool], k=1)[0]
            pool.remove(chosen)
            order.append(chosen[0])
        given[ranking] = order
        given[agree] = [_weighted(rng, list(agree.options.all()), [3, 3, 2, 3, 2])]
        if rng.random() < 0.4:
            given[else_] = rng.choice(LIBRARY_COMMENTS)
        if rng.random() < 0.15:
            given[where] = (
                Decimal("52.19") + Decimal(rng.randint(0, 200)) / 10000,
                Decimal("0.12") + Decimal(rng.randint(0, 200)) / 10000,
                rng.choice(["Near the community centre", "By the bus station", "On the high street", ""]),
            )
        return given

    _responses(consultation, "LIB", 150, one, now, rng)
    return consultation


def _call_for_evidence(areas, now) -> Consultation | None:
    consultation, created = _consultation(
        "damp-and-mould-call-for-evidence",
        area=areas["borough"],
        run_by="Private Sector Housing team",
        kind=ConsultationKind.CALL_FOR_EVIDENCE,
        title="Damp and mould in rented homes: call for evidence",
        summary="Tell us about damp and mould in rented homes in the borough, and send us any evidence you have.",
        description=(
            "We want to understand how common damp and mould are in private and social rented homes, and how "
            "quickly landlords put them right. Tenants, landlords, letting agents, health workers and advice "
            "organisations are all welcome to respond.\n\n"
            "What you send will shape the council's new private rented housing enforcement policy."
        ),
        opens_at=(now - 3 * DAY).replace(hour=0, minute=0, second=0, microsecond=0),
        closes_at=(now + 45 * DAY).replace(hour=0, minute=0, second=0, microsecond=0),
        audience=Audience.EVERYONE,
        anonymity=Anonymity.IDENTIFIED,
        state=ConsultationState.PUBLISHED,
        published_at=now - 3 * DAY,
    )
    if not created:
        return None
    for order, (title, url) in enumerate(
        [
            (
                "Government guidance: understanding and addressing damp and mould",
                "https://www.gov.uk/government/publications/damp-and-mould-understanding-and-addressing-the-health-risks-for-rented-housing-providers",
            ),
            (
                "The council's housing enforcement policy (current)",
                "https://www.example.org/housing/enforcement-policy",
            ),
        ],
        start=1,
    ):
        Document.objects.create(consultation=consultation, title=title, url=url, order=order)
    who = _section(consultation, 1, "About you")
    _question(
        who,
        QuestionKind.SINGLE_CHOICE,
        "Who are you responding as?",
        options=["A tenant", "A landlord or letting agent", "A health or advice worker", "Someone else"],
        required=True,
    )
    _question(who, QuestionKind.POSTCODE, "What is the postcode of the home (or your organisation)?")
    evidence = _section(consultation, 2, "Your evidence")
    _question(evidence, QuestionKind.LONG_TEXT, "Tell us what happened", required=True, max_length=10000)
    _question(
        evidence,
        QuestionKind.NUMBER,
        "How many weeks did it take for the problem to be put right?",
        hint="Leave blank if it has not been put right.",
        number_min=Decimal("0"),
        number_max=Decimal("520"),
    )
    _question(evidence, QuestionKind.FILE, "Upload photos, letters or reports")
    return consultation


def _castle_park(areas, now, rng) -> Consultation | None:
    consultation, created = _consultation(
        "castle-park-summer-events",
        area=areas["wards"]["castle"],
        run_by="North Area Committee",
        kind=ConsultationKind.CONSULTATION,
        title="Castle Park summer events",
        summary="What events should Castle Park host next summer, and how should they be run?",
        description="The North Area Committee funds summer events in Castle Park. We asked what people wanted.",
        opens_at=(now - 70 * DAY).replace(hour=0, minute=0, second=0, microsecond=0),
        closes_at=(now - 28 * DAY).replace(hour=0, minute=0, second=0, microsecond=0),
        audience=Audience.EVERYONE,
        anonymity=Anonymity.ANONYMOUS,
        state=ConsultationState.PUBLISHED,
        published_at=now - 71 * DAY,
    )
    if not created:
        return None
    page = _section(consultation, 1, "Summer events")
    fair = _question(
        page,
        QuestionKind.SINGLE_CHOICE,
        "Should the summer fair continue?",
        options=["Yes", "No", "Not sure"],
        required=True,
    )
    events = _question(
        page,
        QuestionKind.MULTIPLE_CHOICE,
        "Which events would you go to?",
        options=["Summer fair", "Outdoor cinema", "Music afternoon", "Sports day", "Teenagers' skate jam"],
    )
    noise = _question(
        page,
        QuestionKind.SCALE,
        "How much did noise from last year's events bother you?",
        options=["Not at all", "A little", "Quite a lot", "Very much"],
    )
    comments = _question(page, QuestionKind.LONG_TEXT, "Any other comments?", max_length=3000)

    def one(rng):
        given = {fair: [_weighted(rng, list(fair.options.all()), [8, 1, 1])]}
        given[events] = [
            o
            for o, p in zip(events.options.all(), [0.8, 0.6, 0.4, 0.3, 0.25], strict=True)
            if rng.random() < p
        ] or [events.options.first()]
        given[noise] = [_weighted(rng, list(noise.options.all()), [6, 3, 2, 1])]
        if rng.random() < 0.35:
            given[comments] = rng.choice(CASTLE_COMMENTS)
        return given

    _responses(consultation, "CPK", 86, one, now, rng)
    Outcome.objects.create(
        consultation=consultation,
        you_said=(
            "86 people responded. Nearly 8 in 10 want the summer fair to continue, and the outdoor cinema was "
            "the next most popular event. About 1 in 4 said noise bothered them, mostly late in the evening, "
            "and several people asked for more for teenagers and a better clean-up afterwards."
        ),
        we_did=(
            "The summer fair will go ahead on the second Saturday of July, finishing at 8pm instead of 10pm. "
            "We have added an outdoor cinema night in August and a skate jam run with Castle Youth Club. The "
            "events contract now includes litter picking in the park for two days after each event."
        ),
        decision_title="North Area Committee: Castle Park events programme",
        decision_url="https://www.example.org/committees/north/castle-park-events",
        decided_by="North Area Committee",
        decision_date=(now - 10 * DAY).date(),
        published_at=now - 7 * DAY,
    )
    return consultation


def build_demo_consultations(areas) -> list[Consultation]:
    """Create the demo consultations that do not exist yet; return those created."""
    now = timezone.localtime()  # midnights below are local, as people read them
    rng = random.Random(SEED)
    with transaction.atomic():
        made = [
            c
            for c in (
                _library(areas, now, rng),
                _call_for_evidence(areas, now),
                _castle_park(areas, now, rng),
            )
            if c
        ]
        if made:
            audit.record(
                action="consultations.demo_built",
                target=areas["borough"],
                summary=f"Created {len(made)} demo consultations",
            )
    return made
