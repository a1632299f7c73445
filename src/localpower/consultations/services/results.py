"""Writes about results: officers' tags on free-text answers, the "You said, we did" response, and the audit
entry for every export of the responses.

Each function checks the permission itself (``consultations.rules``), so a view or the API cannot forget to.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.consultations.models import Answer, Consultation, Outcome, ResponseStatus, Tag
from localpower.consultations.signals import outcome_published
from localpower.core.audit import record

TAG_MAX = Tag._meta.get_field("name").max_length
OUTCOME_FIELDS = ("you_said", "we_did", "decision_title", "decision_url", "decided_by", "decision_date")


def _require(actor, perm: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _taggable(actor, answer: Answer) -> Consultation:
    consultation = answer.response.consultation
    _require(
        actor,
        "consultations.tag_answers",
        consultation,
        _("You cannot tag the answers to this consultation."),
    )
    if answer.response.status != ResponseStatus.SUBMITTED or not answer.question.is_free_text:
        raise ValidationError(_("Only written answers in sent responses can be tagged."))
    return consultation


def clean_tag_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter a tag, such as “Parking”.")})
    if len(name) > TAG_MAX:
        raise ValidationError({"name": _("A tag must be %(max)d characters or fewer.") % {"max": TAG_MAX}})
    return name


@transaction.atomic
def add_tag(*, actor, answer: Answer, name: str, request=None) -> Tag:
    """Put the tag called ``name`` on ``answer``, creating the tag when the consultation has none by that name
    (in any letter case)."""
    consultation = _taggable(actor, answer)
    name = clean_tag_name(name)
    tag = Tag.objects.filter(consultation=consultation, name__iexact=name).first()
    if tag is None:
        tag = Tag(consultation=consultation, name=name)
        tag.full_clean()
        tag.save()
        record(
            actor=actor,
            action="consultations.tag_created",
            target=tag,
            summary=f"Tag “{name}” created in {consultation}",
            request=request,
        )
    if not answer.tags.filter(pk=tag.pk).exists():
        answer.tags.add(tag)
        record(
            actor=actor,
            action="consultations.answer_tagged",
            target=answer,
            summary=f"Answer in response {answer.response.reference} tagged “{tag.name}”",
            changes={"tag": tag.name, "question": answer.question_id},
            request=request,
        )
    return tag


@transaction.atomic
def remove_tag(*, actor, answer: Answer, tag: Tag, request=None) -> None:
    consultation = _taggable(actor, answer)
    if tag.consultation_id != consultation.pk:
        raise ValidationError(_("That tag belongs to another consultation."))
    if answer.tags.filter(pk=tag.pk).exists():
        answer.tags.remove(tag)
        record(
            actor=actor,
            action="consultations.answer_untagged",
            target=answer,
            summary=f"Tag “{tag.name}” removed from an answer in response {answer.response.reference}",
            changes={"tag": tag.name, "question": answer.question_id},
            request=request,
        )


def record_export(
    *, actor, consultation: Consultation, file_format: str, filters: dict | None = None, request=None
) -> None:
    """Check the person may export the responses, and note in the audit log that they did."""
    _require(
        actor,
        "consultations.export_responses",
        consultation,
        _("You cannot download the responses to this consultation."),
    )
    record(
        actor=actor,
        action="consultations.responses_exported",
        target=consultation,
        summary=f"Responses to {consultation} downloaded as {file_format.upper()}",
        changes={
            "format": file_format,
            "identified": consultation.anonymity == "identified",
            "filters": filters or {},
        },
        request=request,
    )


@transaction.atomic
def save_outcome(
    *,
    actor,
    consultation: Consultation,
    you_said: str,
    we_did: str,
    decision_title: str = "",
    decision_url: str = "",
    decided_by: str = "",
    decision_date: datetime.date | None = None,
    publish: bool = False,
    request=None,
) -> Outcome:
    """Save the "You said, we did" response; with ``publish`` (or when it is already published) everyone sees
    it. It can be published only once the consultation has closed. Publishing an edit keeps the first
    publication date; the time of the change is ``updated_at`` and the audit log keeps what changed."""
    _require(
        actor,
        "consultations.change_consultation",
        consultation,
        _("You cannot write the response to this consultation."),
    )
    outcome = Outcome.objects.select_for_update().filter(consultation=consultation).first()
    created = outcome is None
    outcome = outcome or Outcome(consultation=consultation)
    was_published = outcome.published_at is not None
    if publish or was_published:
        _require(
            actor,
            "consultations.publish_outcome",
            consultation,
            _("The response can be published once the consultation has closed."),
        )
    before = {name: str(getattr(outcome, name) or "") for name in OUTCOME_FIELDS}
    values = {
        "you_said": you_said,
        "we_did": we_did,
        "decision_title": decision_title,
        "decision_url": decision_url,
        "decided_by": decided_by,
        "decision_date": decision_date,
    }
    for name, value in values.items():
        setattr(outcome, name, value)
    outcome.updated_by = actor
    if publish and not was_published:
        outcome.published_at = timezone.now()
    outcome.full_clean()
    outcome.save()
    changed = {
        name: {"from": before[name], "to": str(values[name] or "")}
        for name in OUTCOME_FIELDS
        if before[name] != str(values[name] or "") and not created
    }
    if publish and not was_published:
        action, summary = (
            "consultations.outcome_published",
            f"“You said, we did” published for {consultation}",
        )
        transaction.on_commit(lambda: outcome_published.send(sender=Outcome, outcome=outcome))
    elif was_published:
        action, summary = (
            "consultations.outcome_updated",
            f"Published “You said, we did” changed for {consultation}",
        )
    else:
        action, summary = "consultations.outcome_saved", f"Draft “You said, we did” saved for {consultation}"
    record(
        actor=actor,
        action=action,
        target=consultation,
        summary=summary,
        changes={"fields": sorted(changed) if not created else sorted(OUTCOME_FIELDS)},
        request=request,
    )
    return outcome


@transaction.atomic
def rename_tag(*, actor, tag: Tag, name: str, request=None) -> Tag:
    """Rename a tag. When another tag of the consultation already has the name (in any letter case), the two
    are merged: its answers get that tag and this one is deleted. Returns the tag that remains."""
    consultation = tag.consultation
    _require(
        actor,
        "consultations.tag_answers",
        consultation,
        _("You cannot change the tags of this consultation."),
    )
    name = clean_tag_name(name)
    other = Tag.objects.filter(consultation=consultation, name__iexact=name).exclude(pk=tag.pk).first()
    old = tag.name
    if other is None:
        tag.name = name
        tag.full_clean()
        tag.save()
        record(
            actor=actor,
            action="consultations.tag_renamed",
            target=tag,
            summary=f"Tag “{old}” renamed “{name}” in {consultation}",
            changes={"from": old, "to": name},
            request=request,
        )
        return tag
    moved = list(tag.answers.exclude(tags=other).values_list("pk", flat=True))
    other.answers.add(*moved)
    tag.delete()
    record(
        actor=actor,
        action="consultations.tag_merged",
        target=other,
        summary=f"Tag “{old}” merged into “{other.name}” in {consultation}",
        changes={"from": old, "to": other.name, "answers_moved": len(moved)},
        request=request,
    )
    return other


@transaction.atomic
def delete_tag(*, actor, tag: Tag, request=None) -> None:
    """Delete a tag, taking it off every answer."""
    consultation = tag.consultation
    _require(
        actor,
        "consultations.tag_answers",
        consultation,
        _("You cannot change the tags of this consultation."),
    )
    uses = tag.answers.count()
    record(
        actor=actor,
        action="consultations.tag_deleted",
        target=consultation,
        summary=f"Tag “{tag.name}” deleted from {consultation} (it was on {uses} answers)",
        changes={"tag": tag.name, "answers": uses},
        request=request,
    )
    tag.delete()
