"""Reading a consultation's results: the summary of every question, free-text answers, single responses.

``summarise`` works in a fixed number of aggregate queries whatever the number of responses (one per
conditional section, plus about eight), not one per response. Percentages are of the people who were shown the
question: everyone who sent a response, or for a question in a conditional section only those whose answer
opened the section.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.consultations.models import (
    Answer,
    Choice,
    Consultation,
    ConsultationState,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Section,
    Tag,
)
from localpower.consultations.models.consultation import TEXT_KINDS
from localpower.consultations.results_maths import number_stats, percent, plot_points
from localpower.places.models import Area, AreaKind, Postcode, valid_on_q
from localpower.places.postcodes import InvalidPostcode, normalise_postcode

# Kinds of question whose summary the public may see once the council has responded: counts only, never
# anything a person wrote or uploaded, nor where they live.
PUBLIC_KINDS = (
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.SCALE,
    QuestionKind.RANKING,
    QuestionKind.NUMBER,
)
# Kinds a summary can be filtered by ("only people who answered X with Y").
FILTER_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE)
MAX_POINTS_SHOWN = 200
MAX_FILES_SHOWN = 200


@dataclass(frozen=True)
class ResultFilters:
    """Which sent responses to count: those whose answer picked ``option``, sent between two dates."""

    option: Option | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None

    @property
    def active(self) -> bool:
        return bool(self.option or self.since or self.until)


@dataclass
class Row:
    """One line of a question's table: a label, how many, and the share (0-100) of those shown the question."""

    label: str
    count: int
    percent: float = 0.0
    extra: dict = field(default_factory=dict)


@dataclass
class QuestionSummary:
    question: Question
    shown: int  # sent responses that were shown the question
    answered: int
    rows: list[Row] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    items: list = field(default_factory=list)  # map points or files (staff only)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def not_answered(self) -> int:
        return max(0, self.shown - self.answered)

    @property
    def answered_percent(self) -> float:
        return percent(self.answered, self.shown)

    @property
    def not_answered_percent(self) -> float:
        return percent(self.not_answered, self.shown)


@dataclass
class SectionSummary:
    section: Section
    shown: int
    questions: list[QuestionSummary]


@dataclass
class Summary:
    consultation: Consultation
    filters: ResultFilters
    total: int  # sent responses matching the filters
    all_sent: int  # every sent response
    sections: list[SectionSummary]

    @property
    def questions(self) -> list[QuestionSummary]:
        return [q for s in self.sections for q in s.questions]


def sent_responses(consultation: Consultation, filters: ResultFilters | None = None) -> QuerySet[Response]:
    """The consultation's sent responses, narrowed by ``filters``."""
    responses = Response.objects.filter(consultation=consultation, status=ResponseStatus.SUBMITTED)
    if filters is None:
        return responses
    if filters.option is not None:
        picked = Choice.objects.filter(option=filters.option).values("answer__response_id")
        responses = responses.filter(pk__in=picked)
    tz = timezone.get_current_timezone()
    if filters.since:
        start = datetime.datetime.combine(filters.since, datetime.time.min, tzinfo=tz)
        responses = responses.filter(submitted_at__gte=start)
    if filters.until:
        end = datetime.datetime.combine(
            filters.until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        responses = responses.filter(submitted_at__lt=end)
    return responses


def responses_by_day(consultation: Consultation, filters: ResultFilters | None = None) -> list[dict]:
    """How many responses were sent each day (days with none left out), oldest first, with the share of the
    busiest day for drawing bars."""
    from django.db.models.functions import TruncDate

    days = list(
        sent_responses(consultation, filters)
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    top = max((d["n"] for d in days), default=0)
    return [{"day": d["day"], "count": d["n"], "percent": percent(d["n"], top)} for d in days]


def survey_questions(consultation: Consultation) -> list[Question]:
    """Every question in survey order, with its section and options."""
    return list(
        Question.objects.filter(section__consultation=consultation)
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__order", "section__id", "order", "id")
    )


def filter_options(consultation: Consultation) -> list[tuple[Question, list[Option]]]:
    """The answers a summary can be filtered by, question by question."""
    return [
        (q, list(q.options.all()))
        for q in survey_questions(consultation)
        if q.kind in FILTER_KINDS and q.options.all()
    ]


def _shown_per_section(
    consultation: Consultation, responses: QuerySet[Response], total: int
) -> dict[int, int]:
    """How many of ``responses`` were shown each section: all of them, unless the section has a condition."""
    shown = {}
    sections = Section.objects.filter(consultation=consultation).prefetch_related(
        Prefetch("condition_options", queryset=Option.objects.only("pk"))
    )
    for section in sections:
        options = [o.pk for o in section.condition_options.all()]
        if section.condition_question_id is None or not options:
            shown[section.pk] = total
            continue
        opened = Choice.objects.filter(
            answer__question_id=section.condition_question_id, option_id__in=options
        ).values("answer__response_id")
        shown[section.pk] = responses.filter(pk__in=opened).count()
    return shown


def summarise(
    consultation: Consultation, filters: ResultFilters | None = None, *, public: bool = False
) -> Summary:
    """Every question's summary. ``public`` keeps only the kinds the public may see (``PUBLIC_KINDS``)."""
    filters = filters or ResultFilters()
    responses = sent_responses(consultation, filters)
    total = responses.count()
    all_sent = total if not filters.active else sent_responses(consultation).count()
    questions = survey_questions(consultation)
    if public:
        questions = [q for q in questions if q.kind in PUBLIC_KINDS]
    shown = _shown_per_section(consultation, responses, total)
    kinds = {q.pk: q.kind for q in questions}
    ids = list(kinds)
    answers = Answer.objects.filter(response__in=responses, question_id__in=ids)

    # How many answered each question: choices counted from Choice rows, the rest from the answer's fields.
    answered: dict[int, int] = {}
    for row in answers.values("question_id").annotate(
        texts=Count("id", filter=~Q(text="")),
        numbers=Count("number"),
        points=Count("latitude"),
        files=Count("id", filter=~Q(file="")),
    ):
        kind = kinds[row["question_id"]]
        answered[row["question_id"]] = {
            QuestionKind.NUMBER: row["numbers"],
            QuestionKind.MAP_POINT: row["points"],
            QuestionKind.FILE: row["files"],
        }.get(kind, row["texts"])
    choices = Choice.objects.filter(
        answer__response__in=responses, answer__question_id__in=[i for i in ids if _has_options(kinds[i])]
    )
    for row in choices.values("answer__question_id").annotate(n=Count("answer_id", distinct=True)):
        answered[row["answer__question_id"]] = row["n"]
    picked: dict[int, Counter] = defaultdict(Counter)  # question -> (option, rank) -> count
    for row in choices.values("answer__question_id", "option_id", "rank").annotate(n=Count("id")):
        picked[row["answer__question_id"]][(row["option_id"], row["rank"])] += row["n"]

    numbers = _values_by_question(answers, QuestionKind.NUMBER, kinds, ["number"], number__isnull=False)
    postcodes = _values_by_question(answers, QuestionKind.POSTCODE, kinds, ["text"], text__gt="")
    wards = _wards_for([value[0] for values in postcodes.values() for value in values])
    points, files = {}, {}
    if not public:
        points = _values_by_question(
            answers.order_by("response__submitted_at", "id"),
            QuestionKind.MAP_POINT,
            kinds,
            ["latitude", "longitude", "text", "response__reference"],
            latitude__isnull=False,
        )
        files = _values_by_question(
            answers.order_by("response__submitted_at", "id"),
            QuestionKind.FILE,
            kinds,
            ["id", "file", "response__reference"],
            file__gt="",
        )

    coded: dict[int, list[tuple[str, int]]] = defaultdict(list)
    text_ids = [pk for pk, kind in kinds.items() if kind in TEXT_KINDS]
    if text_ids and not public:
        through = Answer.tags.through.objects.filter(
            answer__response__in=responses, answer__question_id__in=text_ids
        )
        for row in (
            through.values("answer__question_id", "tag__name")
            .annotate(n=Count("answer_id", distinct=True))
            .order_by("answer__question_id", "-n", "tag__name")
        ):
            coded[row["answer__question_id"]].append((row["tag__name"], row["n"]))

    by_section: dict[int, SectionSummary] = {}
    for question in questions:
        section = question.section
        if section.pk not in by_section:
            by_section[section.pk] = SectionSummary(section, shown.get(section.pk, total), [])
        summary = QuestionSummary(question, shown.get(section.pk, total), answered.get(question.pk, 0))
        _fill(summary, picked[question.pk], numbers, postcodes, wards, points, files)
        if question.pk in coded:
            summary.rows = [Row(name, n, percent(n, summary.answered)) for name, n in coded[question.pk]]
        by_section[section.pk].questions.append(summary)
    return Summary(consultation, filters, total, all_sent, list(by_section.values()))


def _has_options(kind: str) -> bool:
    return kind in (
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.SCALE,
        QuestionKind.RANKING,
    )


def _values_by_question(answers, kind, kinds, fields, **conditions) -> dict[int, list[tuple]]:
    wanted = [pk for pk, k in kinds.items() if k == kind]
    found: dict[int, list[tuple]] = defaultdict(list)
    if not wanted:
        return found
    for row in answers.filter(question_id__in=wanted, **conditions).values_list("question_id", *fields):
        found[row[0]].append(row[1:])
    return found


def _wards_for(texts: list[str]) -> dict[str, str]:
    """The ward of each postcode people gave (two queries for all of them); unknown ones are left out."""
    codes = set()
    for text in texts:
        try:
            codes.add(normalise_postcode(text))
        except InvalidPostcode:
            continue
    if not codes:
        return {}
    today = datetime.date.today()
    found = Postcode.objects.filter(postcode__in=codes).prefetch_related(
        Prefetch(
            "areas",
            queryset=Area.objects.filter(valid_on_q(today)).select_related("parent__parent__parent"),
        )
    )
    wards = {}
    for postcode in found:
        for area in postcode.areas.all():
            node, depth = area, 0
            while node is not None and node.kind != AreaKind.WARD and depth < 4:
                node, depth = (node.parent if node.parent_id else None), depth + 1
            if node is not None and node.kind == AreaKind.WARD:
                wards[postcode.postcode] = node.name
                break
    return wards


def _fill(summary: QuestionSummary, picked: Counter, numbers, postcodes, wards, points, files) -> None:
    question, kind = summary.question, summary.question.kind
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        _choice_rows(summary, picked)
    elif kind == QuestionKind.SCALE:
        _scale(summary, picked)
    elif kind == QuestionKind.RANKING:
        _ranking(summary, picked)
    elif kind == QuestionKind.NUMBER:
        summary.stats = number_stats([float(v[0]) for v in numbers.get(question.pk, [])])
    elif kind == QuestionKind.POSTCODE:
        counts: Counter = Counter()
        for (text,) in postcodes.get(question.pk, []):
            try:
                ward = wards.get(normalise_postcode(text))
            except InvalidPostcode:
                ward = None
            counts[ward] += 1
        unknown = counts.pop(None, 0)
        summary.rows = [
            Row(name, n, percent(n, summary.shown)) for name, n in sorted(counts.items(), key=_by_count)
        ]
        if unknown:
            summary.rows.append(
                Row(
                    _("Outside the council's area or not recognised"),
                    unknown,
                    percent(unknown, summary.shown),
                )
            )
    elif kind == QuestionKind.MAP_POINT:
        found = points.get(question.pk, [])
        summary.items = [
            {"latitude": lat, "longitude": lng, "description": text, "reference": ref}
            for lat, lng, text, ref in found[:MAX_POINTS_SHOWN]
        ]
        summary.stats = {"plot": plot_points([(float(lat), float(lng)) for lat, lng, _t, _r in found])}
    elif kind == QuestionKind.FILE:
        summary.items = [
            {"answer_id": pk, "name": str(name).rsplit("/", 1)[-1], "reference": ref}
            for pk, name, ref in files.get(question.pk, [])[:MAX_FILES_SHOWN]
        ]


def _by_count(item: tuple[str, int]):
    return (-item[1], item[0])


def _choice_rows(summary: QuestionSummary, picked: Counter) -> None:
    for option in summary.question.options.all():
        n = picked.get((option.pk, None), 0)
        summary.rows.append(Row(option.text, n, percent(n, summary.shown)))


def _scale(summary: QuestionSummary, picked: Counter) -> None:
    """The distribution, the mean position (1 = first point) and the net score: the share choosing one of the
    points in the upper half minus the share choosing one in the lower half, of those who answered."""
    options = list(summary.question.options.all())
    counts = [picked.get((o.pk, None), 0) for o in options]
    summary.rows = [Row(o.text, n, percent(n, summary.shown)) for o, n in zip(options, counts, strict=True)]
    answered = sum(counts)
    half = len(options) // 2
    if not answered or not options:
        summary.stats = {"points": len(options)}
        return
    upper_labels = [o.text for o in options[len(options) - half :]]
    lower_labels = [o.text for o in options[:half]]
    lower, upper = sum(counts[:half]), sum(counts[len(options) - half :])
    summary.stats = {
        "points": len(options),
        "mean": round(sum(i * n for i, n in enumerate(counts, start=1)) / answered, 2),
        "net": round(100.0 * (upper - lower) / answered, 1),
        "upper": percent(upper, answered),
        "lower": percent(lower, answered),
        "upper_labels": upper_labels,
        "lower_labels": lower_labels,
        "upper_text": _(" or ").join(f"“{t}”" for t in upper_labels),
        "lower_text": _(" or ").join(f"“{t}”" for t in lower_labels),
        "first_label": options[0].text,
        "last_label": options[-1].text,
    }


def _ranking(summary: QuestionSummary, picked: Counter) -> None:
    """Per option: how many ranked it, its mean rank, how many put it first, and its points (with n options,
    a first place earns n points, a second n - 1, and so on; an option left out earns none)."""
    options = list(summary.question.options.all())
    n_options = len(options)
    rows = []
    for option in options:
        ranks = {rank: n for (pk, rank), n in picked.items() if pk == option.pk and rank is not None}
        ranked = sum(ranks.values())
        points = sum((n_options - rank + 1) * n for rank, n in ranks.items() if rank <= n_options)
        rows.append(
            Row(
                option.text,
                ranked,
                percent(ranked, summary.shown),
                extra={
                    "first": ranks.get(1, 0),
                    "first_percent": percent(ranks.get(1, 0), summary.answered),
                    "mean_rank": round(sum(r * n for r, n in ranks.items()) / ranked, 2) if ranked else None,
                    "points": points,
                },
            )
        )
    top = max((r.extra["points"] for r in rows), default=0)
    for row in rows:
        row.extra["points_percent"] = percent(row.extra["points"], top)
    summary.rows = sorted(rows, key=lambda r: (-r.extra["points"], r.label))
    summary.stats = {"options": n_options}


# --- free text ---------------------------------------------------------------------------------------------


def text_questions(consultation: Consultation) -> list[Question]:
    return [q for q in survey_questions(consultation) if q.kind in TEXT_KINDS]


def text_answers(
    question: Question, *, search: str = "", tag: Tag | None = None, untagged: bool = False
) -> QuerySet[Answer]:
    """Sent, non-empty answers to a text question, oldest first, with their tags and response."""
    answers = (
        Answer.objects.filter(
            question=question,
            response__status=ResponseStatus.SUBMITTED,
            response__consultation_id=question.section.consultation_id,
        )
        .exclude(text="")
        .select_related("response")
        .prefetch_related("tags")
        .order_by("response__submitted_at", "id")
    )
    if search:
        answers = answers.filter(text__icontains=search)
    if tag is not None:
        answers = answers.filter(tags=tag)
    elif untagged:
        answers = answers.filter(tags__isnull=True)
    return answers


def coding_frame(question: Question) -> tuple[list[Tag], int, int]:
    """The consultation's tags with how many sent answers to ``question`` carry each (most used first), the
    number of answers, and how many have no tag yet."""
    answered = text_answers(question)
    tags = list(
        Tag.objects.filter(consultation_id=question.section.consultation_id)
        .annotate(
            uses=Count(
                "answers",
                filter=Q(answers__question=question, answers__response__status=ResponseStatus.SUBMITTED),
            )
        )
        .order_by("-uses", "name")
    )
    return tags, answered.count(), answered.filter(tags__isnull=True).count()


def response_detail(consultation: Consultation, reference: str) -> Response | None:
    """A sent response with every answer (and their choices and tags), or None."""
    return (
        Response.objects.filter(
            consultation=consultation, status=ResponseStatus.SUBMITTED, reference=reference
        )
        .select_related("respondent", "organisation")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question__section").prefetch_related(
                    Prefetch("picked", queryset=Choice.objects.select_related("option")), "tags"
                ),
            )
        )
        .first()
    )


def neighbours(consultation: Consultation, response: Response) -> tuple[str | None, str | None]:
    """The references of the sent responses just before and after ``response``."""
    sent = Response.objects.filter(consultation=consultation, status=ResponseStatus.SUBMITTED)
    before = (
        sent.filter(
            Q(submitted_at__lt=response.submitted_at)
            | Q(submitted_at=response.submitted_at, pk__lt=response.pk)
        )
        .order_by("-submitted_at", "-pk")
        .values_list("reference", flat=True)
        .first()
    )
    after = (
        sent.filter(
            Q(submitted_at__gt=response.submitted_at)
            | Q(submitted_at=response.submitted_at, pk__gt=response.pk)
        )
        .order_by("submitted_at", "pk")
        .values_list("reference", flat=True)
        .first()
    )
    return before, after


def answer_value(answer: Answer) -> str:
    """An answer as one line of text, as the exports write it."""
    kind = answer.question.kind
    if kind == QuestionKind.RANKING:
        return "; ".join(f"{c.rank}. {c.option.text}" for c in sorted(answer.picked.all(), key=_rank))
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE):
        return "; ".join(c.option.text for c in answer.picked.all())
    if kind == QuestionKind.NUMBER:
        return "" if answer.number is None else f"{answer.number.normalize():f}"
    if kind == QuestionKind.MAP_POINT:
        if answer.latitude is None:
            return ""
        return f"{answer.latitude},{answer.longitude}"
    if kind == QuestionKind.FILE:
        return answer.file.name.rsplit("/", 1)[-1] if answer.file else ""
    return answer.text


def _rank(choice: Choice):
    return (choice.rank or 10_000, choice.option.order, choice.pk)


def published_outcomes() -> QuerySet[Consultation]:
    """Consultations whose "You said, we did" is published, most recently published first."""
    return (
        Consultation.objects.filter(state=ConsultationState.PUBLISHED)
        .filter(outcome__published_at__isnull=False)
        .select_related("area", "outcome")
        .order_by("-outcome__published_at")
    )
