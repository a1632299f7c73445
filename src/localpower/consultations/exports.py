"""Sent responses as a spreadsheet: CSV (streamed) and XLSX.

One row per sent response (or those matching the summary's filters), oldest first: its reference, when it was sent, the respondent's name, e-mail
address and organisation (only for identified consultations), then one column per question, in survey order.
Choices are joined with "; ", rankings written "1. X; 2. Y", map points "latitude,longitude".

Spreadsheet programs run a cell that starts with = + - or @ as a formula, so any such text people wrote gets a
leading apostrophe (``safe_cell``). Numbers and map points are written by us and left alone.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.consultations.models import (
    Anonymity,
    Answer,
    Choice,
    Consultation,
    Question,
    QuestionKind,
)
from localpower.consultations.selectors_results import ResultFilters, sent_responses, survey_questions

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML (and so XLSX) cannot hold.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_CELL = 32_767
CHUNK = 500


def safe_cell(value: str) -> str:
    """Text a spreadsheet will show as text: a leading apostrophe before = + - @ (and tab or return)."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def is_identified(consultation: Consultation) -> bool:
    return consultation.anonymity == Anonymity.IDENTIFIED


def header(consultation: Consultation, questions: list[Question]) -> list[str]:
    columns = [_("Reference"), _("Sent")]
    if is_identified(consultation):
        columns += [_("Name"), _("E-mail address"), _("On behalf of")]
    columns += [f"Q{i}. {q.text}" for i, q in enumerate(questions, start=1)]
    return [safe_cell(c) for c in columns]


def _batches(consultation: Consultation, filters: ResultFilters | None) -> Iterator[list[tuple]]:
    """The sent responses' own columns, oldest first, in batches of ``CHUNK``."""
    fields = ["pk", "reference", "submitted_at"]
    if is_identified(consultation):
        fields += ["respondent__display_name", "respondent__email", "organisation__name"]
    batch: list[tuple] = []
    for row in (
        sent_responses(consultation, filters)
        .order_by("submitted_at", "pk")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK)
    ):
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _answers(ids: list[int]) -> tuple[dict, dict]:
    """The answers of these responses (as plain values, two queries): by (response, question), and the
    options picked in each answer, in rank then option order."""
    answers = {
        (response_id, question_id): (pk, text, number, latitude, longitude, file)
        for pk, response_id, question_id, text, number, latitude, longitude, file in Answer.objects.filter(
            response_id__in=ids
        ).values_list("pk", "response_id", "question_id", "text", "number", "latitude", "longitude", "file")
    }
    picked: dict[int, list[tuple]] = {}
    for answer_id, rank, text in (
        Choice.objects.filter(answer__response_id__in=ids)
        .order_by("answer_id", "rank", "option__order", "pk")
        .values_list("answer_id", "rank", "option__text")
    ):
        picked.setdefault(answer_id, []).append((rank, text))
    return answers, picked


def _value(kind: str, answer: tuple, picked: dict, *, typed: bool):
    pk, text, number, latitude, longitude, file = answer
    if kind == QuestionKind.RANKING:
        return safe_cell("; ".join(f"{rank}. {option}" for rank, option in picked.get(pk, [])))
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE):
        return safe_cell("; ".join(option for _rank, option in picked.get(pk, [])))
    if kind == QuestionKind.NUMBER:
        if number is None:
            return ""
        return number if typed else f"{number.normalize():f}"
    if kind == QuestionKind.MAP_POINT:
        return "" if latitude is None else f"{latitude},{longitude}"
    if kind == QuestionKind.FILE:
        return safe_cell(str(file).rsplit("/", 1)[-1]) if file else ""
    return safe_cell(text)


def rows(
    consultation: Consultation, *, typed: bool = False, filters: ResultFilters | None = None
) -> Iterator[list]:
    """The header, then one list of cells per sent response, in a fixed number of queries per batch of
    responses. ``typed`` keeps numbers as numbers and the date as a date (for XLSX); otherwise every cell is
    text."""
    questions = [(q.pk, q.kind) for q in survey_questions(consultation)]
    yield header(consultation, survey_questions(consultation))
    identified = is_identified(consultation)
    tz = timezone.get_current_timezone()
    for batch in _batches(consultation, filters):
        answers, picked = _answers([row[0] for row in batch])
        for response_id, reference, submitted_at, *person in batch:
            sent = timezone.localtime(submitted_at, tz)
            if identified:
                when = sent.replace(tzinfo=None) if typed else sent.strftime("%Y-%m-%d %H:%M")
            else:  # anonymous: only the day, so a time cannot be matched with anything else about a person
                when = sent.date() if typed else sent.strftime("%Y-%m-%d")
            row: list = [reference, when]
            if identified:
                row += [safe_cell(value or "") for value in person]
            for question_id, kind in questions:
                answer = answers.get((response_id, question_id))
                row.append("" if answer is None else _value(kind, answer, picked, typed=typed))
            yield row


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(consultation: Consultation, filters: ResultFilters | None = None) -> Iterator[str]:
    """The CSV export, one line at a time (for a streaming response), starting with a byte-order mark so
    spreadsheet programs read it as UTF-8."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"
    for row in rows(consultation, filters=filters):
        yield writer.writerow(row)


def export_csv(consultation: Consultation, filters: ResultFilters | None = None) -> str:
    return "".join(csv_chunks(consultation, filters))


def _xlsx_text(value):
    if isinstance(value, str):
        cleaned = ILLEGAL_XML.sub("", value)
        if cleaned != value:  # what is left may now start like a formula
            cleaned = safe_cell(cleaned)
        value = cleaned
        if len(value) > XLSX_MAX_CELL:
            value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


def export_xlsx(consultation: Consultation, filters: ResultFilters | None = None) -> bytes:
    """The same rows as an Excel workbook: a "Responses" sheet and a "Questions" sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Responses"))
    bold = Font(bold=True)
    for index, row in enumerate(rows(consultation, typed=True, filters=filters)):
        if index == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
            continue
        # Every text cell went through safe_cell, so none starts with "=" and openpyxl writes it as text.
        cells = [_xlsx_text(value) for value in row]
        cells[1] = WriteOnlyCell(sheet, value=row[1])
        cells[1].number_format = "yyyy-mm-dd hh:mm" if isinstance(row[1], datetime.datetime) else "yyyy-mm-dd"
        sheet.append(cells)
    about = book.create_sheet(_("Questions"))
    about.append([_("Column"), _("Section"), _("Question"), _("Kind of question"), _("Options")])
    for i, question in enumerate(survey_questions(consultation), start=1):
        about.append(
            [
                f"Q{i}",
                safe_cell(_xlsx_text(question.section.title)),
                safe_cell(_xlsx_text(question.text)),
                str(QuestionKind(question.kind).label),
                safe_cell(_xlsx_text("; ".join(o.text for o in question.options.all()))),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(consultation: Consultation, extension: str) -> str:
    return f"{consultation.slug}-responses-{timezone.localdate():%Y-%m-%d}.{extension}"


def summary_rows(summary) -> Iterator[list]:
    """A summary (from ``selectors_results.summarise``) as rows. For every question: how many answered, one
    row per answer (option, ward, tag or range of numbers), then its statistics in square brackets (scale
    mean and net score; number count, mean, median, min and max) with the value in the last column."""
    yield [
        _("Section"),
        _("Question"),
        _("Kind of question"),
        _("Asked"),
        _("Answered"),
        _("Answer"),
        _("People"),
        _("Share of those asked (%)"),
    ]
    for item in summary.questions:
        question = item.question
        start = [
            safe_cell(question.section.title),
            safe_cell(question.text),
            str(QuestionKind(question.kind).label),
            item.shown,
            item.answered,
        ]
        yield [*start, _("[answered]"), item.answered, item.answered_percent]
        for row in item.rows:
            label = row.label
            if question.kind == QuestionKind.RANKING:
                label = _("%(option)s (points %(points)d, first choice %(first)d)") % {
                    "option": row.label,
                    "points": row.extra.get("points", 0),
                    "first": row.extra.get("first", 0),
                }
            yield [*start, safe_cell(label), row.count, row.percent]
        for name, value in item.stats.items():
            if name in {"points", "options", "plot"} or isinstance(value, list | dict):
                continue
            if name in {"upper_text", "lower_text", "first_label", "last_label"}:
                continue
            yield [*start, f"[{name}]", "", value]
        for b in item.stats.get("bins", []):
            yield [*start, safe_cell(b["label"]), b["count"], b["percent"]]


def summary_csv(summary) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in summary_rows(summary):
        writer.writerow(row)
    return out.getvalue()
