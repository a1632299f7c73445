"""Sent responses as a spreadsheet: CSV (streamed) and XLSX.

One row per sent response, oldest first: its reference, when it was sent, the respondent's name, e-mail
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

from django.db.models import Prefetch
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
from localpower.consultations.selectors_results import answer_value, sent_responses, survey_questions

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML (and so XLSX) cannot hold.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_CELL = 32_767
CHUNK = 500
SAFE_KINDS = (QuestionKind.NUMBER, QuestionKind.MAP_POINT)


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


def _responses(consultation: Consultation):
    answers = Answer.objects.select_related("question").prefetch_related(
        Prefetch("picked", queryset=Choice.objects.select_related("option"))
    )
    responses = (
        sent_responses(consultation)
        .order_by("submitted_at", "pk")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )
    if is_identified(consultation):
        responses = responses.select_related("respondent", "organisation")
    return responses.iterator(chunk_size=CHUNK)


def rows(consultation: Consultation, *, typed: bool = False) -> Iterator[list]:
    """The header, then one list of cells per sent response. ``typed`` keeps numbers as numbers and the date
    as a date (for XLSX); otherwise every cell is text."""
    questions = survey_questions(consultation)
    yield header(consultation, questions)
    identified = is_identified(consultation)
    tz = timezone.get_current_timezone()
    for response in _responses(consultation):
        sent = timezone.localtime(response.submitted_at, tz)
        row: list = [
            response.reference,
            sent.replace(tzinfo=None) if typed else sent.strftime("%Y-%m-%d %H:%M"),
        ]
        if identified:
            person = response.respondent
            row += [
                safe_cell(person.display_name if person else ""),
                safe_cell(person.email if person else ""),
                safe_cell(response.organisation.name if response.organisation_id else ""),
            ]
        by_question = {a.question_id: a for a in response.answers.all()}
        for question in questions:
            answer = by_question.get(question.pk)
            if answer is None:
                row.append("")
            elif typed and question.kind == QuestionKind.NUMBER and answer.number is not None:
                row.append(answer.number)
            elif question.kind in SAFE_KINDS:
                row.append(answer_value(answer))
            else:
                row.append(safe_cell(answer_value(answer)))
        yield row


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(consultation: Consultation) -> Iterator[str]:
    """The CSV export, one line at a time (for a streaming response), starting with a byte-order mark so
    spreadsheet programs read it as UTF-8."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"
    for row in rows(consultation):
        yield writer.writerow(row)


def export_csv(consultation: Consultation) -> str:
    return "".join(csv_chunks(consultation))


def _xlsx_text(value):
    if isinstance(value, str):
        value = ILLEGAL_XML.sub("", value)
        if len(value) > XLSX_MAX_CELL:
            value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


def export_xlsx(consultation: Consultation) -> bytes:
    """The same rows as an Excel workbook: a "Responses" sheet and a "Questions" sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Responses"))
    bold = Font(bold=True)
    for index, row in enumerate(rows(consultation, typed=True)):
        if index == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
            continue
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
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
