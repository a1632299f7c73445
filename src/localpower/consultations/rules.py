"""Who may do what with consultations (django-rules), by role and by the consultation's status.

Objects: ``consultations.add_consultation`` takes an area; the rest take a ``Consultation``.

| permission                  | who                                                          | when                      |
|-----------------------------|--------------------------------------------------------------|---------------------------|
| manage_consultations        | officers and administrators for any area (the staff pages)   | any time                  |
| add_consultation            | officers and administrators for the area                     | any time                  |
| change_consultation         | officers and administrators for the area                     | any time (the survey can  |
|                             |                                                              | change only until the     |
|                             |                                                              | first response: services) |
| view_consultation           | everyone (drafts: staff for the area only)                   | not draft                 |
| respond                     | the audience: anyone / anyone signed in with a verified      | open                      |
|                             | e-mail / verified residents of the area / members of an      |                           |
|                             | invited organisation                                         |                           |
| view_responses              | officers, administrators and councillors for the area        | once published            |
|                             | (summaries, free text, exports)                              |                           |
| tag_answers                 | officers and administrators for the area                     | once published            |
| export_responses            | officers and administrators for the area (files may hold     | once published            |
|                             | names and e-mail addresses, so not councillors)              |                           |
| view_summary (public)       | everyone once the council has published its response;        | responded                 |
|                             | as view_responses before                                     |                           |
| publish_outcome             | officers and administrators for the area                     | closed                    |

Staff and councillors for an area act for every area inside it. Superusers pass every check. Respondents'
identities are shown only for identified consultations, and only to those who may view responses.
"""

from __future__ import annotations

import rules

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.accounts.rules import is_council_staff_anywhere as is_staff_anywhere
from localpower.accounts.rules import is_council_staff_for_area as is_staff_for_area
from localpower.accounts.rules import is_email_verified, is_superuser
from localpower.consultations.models import Audience, Consultation, Status

STAFF = (RoleKind.OFFICER, RoleKind.ADMINISTRATOR)
MEMBER_KINDS = (RoleKind.ORGANISATION_MEMBER, RoleKind.ADMINISTRATOR)


lives_in = roles.lives_in  # a verified resident of the area, as everywhere in the service


def in_audience(user, consultation: Consultation) -> bool:
    """Whether ``user`` is one of the people the consultation asks (whatever its dates)."""
    audience = consultation.audience
    if audience == Audience.EVERYONE:
        return True
    if not is_email_verified(user):
        return False
    if audience == Audience.SIGNED_IN:
        return True
    if audience == Audience.RESIDENTS:
        return lives_in(user, consultation.area)
    if audience == Audience.ORGANISATIONS:
        member_of = roles.organisation_ids(user, MEMBER_KINDS)
        return bool(member_of) and consultation.invited_organisations.filter(pk__in=member_of).exists()
    return False


def _status_in(*statuses: Status):
    @rules.predicate(name=f"status_in_{'_'.join(statuses)}")
    def predicate(user, consultation) -> bool:
        return isinstance(consultation, Consultation) and consultation.status in statuses

    return predicate


@rules.predicate
def is_consultation_staff(user, consultation) -> bool:
    return isinstance(consultation, Consultation) and roles.has_any_role(user, STAFF, consultation.area)


@rules.predicate
def is_consultation_councillor(user, consultation) -> bool:
    return isinstance(consultation, Consultation) and roles.has_role(
        user, RoleKind.COUNCILLOR, consultation.area
    )


@rules.predicate
def is_in_audience(user, consultation) -> bool:
    return isinstance(consultation, Consultation) and in_audience(user, consultation)


is_public = ~_status_in(Status.DRAFT)
is_open = _status_in(Status.OPEN)
has_closed = _status_in(Status.CLOSED, Status.RESPONDED)
has_responded = _status_in(Status.RESPONDED)

staff = is_superuser | is_consultation_staff
readers = staff | is_consultation_councillor

rules.add_perm("consultations.manage_consultations", is_superuser | is_staff_anywhere)
rules.add_perm("consultations.add_consultation", is_superuser | is_staff_for_area)
rules.add_perm("consultations.change_consultation", staff)
rules.add_perm("consultations.view_consultation", is_public | staff)
rules.add_perm("consultations.respond", is_in_audience & is_open)
rules.add_perm("consultations.view_responses", readers & is_public)
rules.add_perm("consultations.tag_answers", staff & is_public)
rules.add_perm("consultations.export_responses", staff & is_public)
rules.add_perm("consultations.view_summary", (is_public & has_responded) | (readers & is_public))
rules.add_perm("consultations.publish_outcome", staff & has_closed)
