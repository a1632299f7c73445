"""Consultations and calls for evidence.

* ``Consultation``: owned by an area (and run by a named body), open between two dates to an audience, with
  documents and a survey: ordered ``Section``s of ordered ``Question``s (with ``Option``s for choice, scale
  and ranking questions). A section can be shown only when an earlier choice question was answered with one
  of some options (``Section.condition_question`` / ``condition_options``).
* ``Response``: one person's answers (``Answer``, one per question), saved as a draft page by page and then
  submitted. For an identified consultation the response names its respondent; for an anonymous one it never
  does: ``Participation`` records that a signed-in person took part (one per person), holding the draft only
  while it is in progress, and the link is cut when the response is submitted.
* ``Tag``: officers' labels for free-text answers. ``Outcome``: the published "You said, we did".
"""

from localpower.consultations.models.consultation import (
    Anonymity,
    Audience,
    Consultation,
    ConsultationKind,
    ConsultationState,
    Document,
    Option,
    Question,
    QuestionKind,
    Section,
    Status,
)
from localpower.consultations.models.outcome import Outcome
from localpower.consultations.models.responses import (
    Answer,
    Choice,
    Participation,
    Response,
    ResponseStatus,
    Tag,
)

__all__ = [
    "Anonymity",
    "Answer",
    "Audience",
    "Choice",
    "Consultation",
    "ConsultationKind",
    "ConsultationState",
    "Document",
    "Option",
    "Outcome",
    "Participation",
    "Question",
    "QuestionKind",
    "Response",
    "ResponseStatus",
    "Section",
    "Status",
    "Tag",
]
