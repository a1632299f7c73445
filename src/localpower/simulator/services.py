"""Changing budget simulators: setting one up, its services, publishing and closing, and responding.

Every function checks permission, validates (``full_clean``), saves in one transaction and writes an audit entry.

Once anyone has responded, what they responded to is frozen: services, their spends, ranges and consequence
texts, the step, the target and who may respond. Changing them would make earlier responses meaningless (or
unbalanced), so the functions refuse with a message saying so. The title, introduction and closing date can
still change.

One response per person: the unique constraint on ``Respondent`` (simulator, user) is what makes it true. Two
simultaneous first submissions both try to insert the respondent row; the database lets one through and the
other fails with ``IntegrityError``, rolls back its whole transaction (its submission too), and then finds the
winner's row: the same idempotency key means the same form sent twice (answered as a repeat), another key is
refused as a second response.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.core import audit
from localpower.simulator import selectors
from localpower.simulator.models import (
    Audience,
    Choice,
    Consequence,
    Respondent,
    Service,
    Simulator,
    SimulatorState,
    Status,
    Submission,
)
from localpower.simulator.rules import lives_in

FROZEN_FIELDS = ("target_kind", "target_amount", "step_pct", "anonymous", "audience", "area")
EDITABLE_FIELDS = ("title", "slug", "introduction", "opens_at", "closes_at", *FROZEN_FIELDS)
SERVICE_FIELDS = ("name", "description", "current_spend", "min_change_pct", "max_change_pct", "order")
COMMENT_MAX = 2000


def _require(actor, perm: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def frozen_message() -> str:
    return _(
        "People have already responded, so the services, spends, ranges, consequences, step, target and who "
        "may respond cannot change. You can still change the title, introduction and closing date."
    )


def _refuse_if_responded(simulator: Simulator) -> None:
    if selectors.has_responses(simulator):
        raise ValidationError(frozen_message(), code="frozen")


def create_simulator(*, actor, area, request=None, **fields) -> Simulator:
    _require(actor, "simulator.add_simulator", area, _("You cannot set up simulators for this area."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown simulator fields: {sorted(unknown)}")
    simulator = Simulator(area=area, state=SimulatorState.DRAFT, **fields)
    with transaction.atomic():
        simulator.full_clean()
        simulator.save()
        audit.record(
            actor=actor,
            action="simulator.created",
            target=simulator,
            summary=simulator.title,
            request=request,
        )
    return simulator


def update_simulator(*, actor, simulator: Simulator, request=None, **fields) -> Simulator:
    _require(actor, "simulator.change_simulator", simulator, _("You cannot change this simulator."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown simulator fields: {sorted(unknown)}")
    with transaction.atomic():
        simulator = Simulator.objects.select_for_update().get(pk=simulator.pk)
        changed = {
            name: [str(getattr(simulator, name)), str(value)]
            for name, value in fields.items()
            if getattr(simulator, name) != value
        }
        if any(name in FROZEN_FIELDS for name in changed):
            _refuse_if_responded(simulator)
        if "step_pct" in changed:
            step = fields["step_pct"]
            for service in simulator.services.all():
                if service.min_change_pct % step or service.max_change_pct % step:
                    raise ValidationError(
                        {
                            "step_pct": _(
                                "“%(service)s” has a range that is not a multiple of %(step)d %%. Change its "
                                "range first."
                            )
                            % {"service": service.name, "step": step}
                        }
                    )
        for name, value in fields.items():
            setattr(simulator, name, value)
        simulator.full_clean()
        simulator.save()
        if changed:
            audit.record(
                actor=actor,
                action="simulator.changed",
                target=simulator,
                summary=", ".join(sorted(changed)),
                changes=changed,
                request=request,
            )
    return simulator


def save_service(
    *,
    actor,
    simulator: Simulator,
    service: Service | None = None,
    fields: dict,
    consequences: dict[int, str] | None = None,
    request=None,
) -> Service:
    """Add a service (``service`` None) or change one, with its consequence texts by level (blank: none)."""
    _require(actor, "simulator.change_simulator", simulator, _("You cannot change this simulator."))
    unknown = set(fields) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown service fields: {sorted(unknown)}")
    with transaction.atomic():
        Simulator.objects.select_for_update().filter(pk=simulator.pk).first()
        _refuse_if_responded(simulator)
        adding = service is None
        if adding:
            service = Service(simulator=simulator)
        for name, value in fields.items():
            setattr(service, name, value)
        service.full_clean()
        service.save()
        if consequences is not None:
            allowed = set(service.levels())
            service.consequences.exclude(change_pct__in=allowed).delete()
            for pct in sorted(allowed):
                text = (consequences.get(pct) or "").strip()
                if text:
                    Consequence.objects.update_or_create(
                        service=service, change_pct=pct, defaults={"text": text}
                    )
                else:
                    service.consequences.filter(change_pct=pct).delete()
        audit.record(
            actor=actor,
            action="simulator.service_added" if adding else "simulator.service_changed",
            target=simulator,
            summary=service.name,
            changes={name: str(value) for name, value in fields.items()},
            request=request,
        )
    return service


def delete_service(*, actor, service: Service, request=None) -> None:
    simulator = service.simulator
    _require(actor, "simulator.change_simulator", simulator, _("You cannot change this simulator."))
    with transaction.atomic():
        _refuse_if_responded(simulator)
        name = service.name
        service.delete()
        audit.record(
            actor=actor, action="simulator.service_deleted", target=simulator, summary=name, request=request
        )


def publish(*, actor, simulator: Simulator, request=None) -> Simulator:
    _require(actor, "simulator.change_simulator", simulator, _("You cannot change this simulator."))
    with transaction.atomic():
        simulator = Simulator.objects.select_for_update().get(pk=simulator.pk)
        if simulator.state != SimulatorState.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        if simulator.closes_at <= timezone.now():
            raise ValidationError(
                _("The closing date has passed, so nobody could respond. Change the closing date first.")
            )
        services = selectors.services_of(simulator)
        if len(services) < 2:
            raise ValidationError(_("Add at least two services before publishing."))
        best = selectors.totals(simulator, services, {s.pk: s.min_change_pct for s in services})
        if not best.balanced:
            raise ValidationError(
                _(
                    "Nobody could meet the target: even the biggest cut to every service leaves £%(gap)s to "
                    "find. Lower the target or allow bigger cuts."
                )
                % {"gap": f"{best.gap:,.0f}"}
            )
        simulator.state = SimulatorState.PUBLISHED
        simulator.save(update_fields=["state", "updated_at"])
        audit.record(actor=actor, action="simulator.published", target=simulator, request=request)
    return simulator


def close(*, actor, simulator: Simulator, request=None) -> Simulator:
    _require(actor, "simulator.change_simulator", simulator, _("You cannot change this simulator."))
    with transaction.atomic():
        simulator = Simulator.objects.select_for_update().get(pk=simulator.pk)
        if simulator.state != SimulatorState.PUBLISHED:
            raise ValidationError(_("Only a published simulator can be closed."))
        simulator.state = SimulatorState.CLOSED
        if simulator.closes_at > timezone.now():
            simulator.closes_at = max(timezone.now(), simulator.opens_at + datetime.timedelta(seconds=1))
        simulator.save(update_fields=["state", "closes_at", "updated_at"])
        audit.record(actor=actor, action="simulator.closed", target=simulator, request=request)
    return simulator


def ineligibility(user, simulator: Simulator) -> str | None:
    """Why ``user`` cannot respond to ``simulator`` now, in plain English; None when they can."""
    status = simulator.status
    if status == Status.DRAFT:
        return _("This simulator is not open yet.")
    if status == Status.UPCOMING:
        return _("This simulator opens on %(day)s.") % {
            "day": timezone.localtime(simulator.opens_at).strftime("%-d %B %Y")
        }
    if status == Status.CLOSED:
        return _("This simulator has closed.")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _("Sign in to send your budget.")
    if not user.email_verified_at:
        return _("Confirm your e-mail address before sending your budget: follow the link we sent you.")
    if simulator.audience == Audience.RESIDENTS and not lives_in(user, simulator.area):
        return _(
            "Only residents of %(area)s can send a budget. If you live there, ask the council to verify your "
            "home postcode."
        ) % {"area": simulator.area.name}
    return None


def has_responded(user, simulator: Simulator) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        Respondent.objects.filter(simulator=simulator, user=user).exists()
    )


def validate_choices(simulator: Simulator, services: list[Service], pcts: dict[int, int]) -> selectors.Totals:
    """Every service has a level in its range and on the step, and the budget meets the target.

    Raises ``ValidationError`` with a message per service (keyed ``service_<id>``) or a balance message (key
    ``__all__``, code ``unbalanced``); returns the totals when all is well.
    """
    errors = {}
    for service in services:
        pct = pcts.get(service.pk)
        if pct is None:
            errors[f"service_{service.pk}"] = _("Choose a level for %(name)s.") % {"name": service.name}
        elif pct not in service.levels():
            errors[f"service_{service.pk}"] = _(
                "Choose a level for %(name)s from %(low)+d %% to %(high)+d %% in steps of %(step)d %%."
            ) % {
                "name": service.name,
                "low": service.min_change_pct,
                "high": service.max_change_pct,
                "step": simulator.step_pct,
            }
    extra = set(pcts) - {s.pk for s in services}
    if extra:
        errors["__all__"] = _("Some choices are for services that are not in this simulator.")
    if errors:
        raise ValidationError(errors)
    result = selectors.totals(simulator, services, pcts)
    if not result.balanced:
        raise ValidationError(unbalanced_message(result), code="unbalanced")
    return result


def unbalanced_message(result: selectors.Totals) -> str:
    from localpower.simulator.templatetags.simulator_tags import pounds

    return _(
        "Your budget does not meet the target yet: find another %(gap)s by cutting services or increasing them "
        "less."
    ) % {"gap": pounds(result.gap) if result.gap >= 1 else f"£{result.gap:.2f}"}


def key_digest(idempotency_key: str) -> str:
    return hashlib.sha256(idempotency_key.encode()).hexdigest()


@dataclass(frozen=True)
class SubmitResult:
    repeated: bool = False  # the same form arrived again; nothing changed


def submit(
    *,
    actor,
    simulator: Simulator,
    choices: dict[int, int],
    comments: dict[int, str] | None = None,
    idempotency_key: str,
    request=None,
) -> SubmitResult:
    """Record ``actor``'s balanced budget: one per person, all or nothing."""
    if not idempotency_key:
        raise ValidationError(_("The form is missing its key. Go back and send it again."))
    digest = key_digest(idempotency_key)
    existing = Respondent.objects.filter(simulator=simulator, user_id=getattr(actor, "pk", None)).first()
    if existing is not None:
        return _repeat_or_refuse(existing, digest)
    reason = ineligibility(actor, simulator)
    if reason:
        raise PermissionDenied(reason)
    comments = comments or {}
    for service_id, text in comments.items():
        if len(text or "") > COMMENT_MAX:
            raise ValidationError(
                {
                    f"comment_{service_id}": _("Comments must be %(max)d characters or fewer.")
                    % {"max": COMMENT_MAX}
                }
            )
    services = selectors.services_of(simulator)
    result = validate_choices(simulator, services, choices)
    try:
        with transaction.atomic():
            Respondent.objects.create(simulator=simulator, user=actor, key_digest=digest)
            submission = Submission.objects.create(
                simulator=simulator,
                user=None if simulator.anonymous else actor,
                submitted_on=timezone.localdate(),
                total_change=result.change,
            )
            Choice.objects.bulk_create(
                Choice(
                    submission=submission,
                    service=service,
                    change_pct=choices[service.pk],
                    comment=(comments.get(service.pk) or "").strip(),
                )
                for service in services
            )
            audit.record(
                actor=actor,
                action="simulator.responded",
                target=simulator,
                summary=_("Sent a balanced budget"),
                request=request,
            )
    except IntegrityError:
        existing = Respondent.objects.filter(simulator=simulator, user=actor).first()
        if existing is None:
            raise
        return _repeat_or_refuse(existing, digest)
    return SubmitResult()


def _repeat_or_refuse(existing: Respondent, digest: str) -> SubmitResult:
    if existing.key_digest == digest:
        return SubmitResult(repeated=True)
    raise ValidationError(
        _("You have already sent your budget for this simulator."), code="already_responded"
    )
