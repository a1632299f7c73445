"""Who may do what with budget simulators (django-rules), by role and by status.

``simulator.add_simulator`` takes an area; the rest take a ``Simulator``.

| permission               | who                                                          | when               |
|--------------------------|--------------------------------------------------------------|--------------------|
| manage_simulators        | officers and administrators for any area (the staff pages)   | any time           |
| add_simulator            | officers and administrators for the area                     | any time           |
| change_simulator         | officers and administrators for the simulator's area         | any time (*)       |
| view_simulator           | everyone; drafts only the staff for the area                 | not draft          |
| respond                  | signed in with a confirmed e-mail address; when the audience | open               |
|                          | is "residents", verified residents of the area only          |                    |
| view_results             | everyone once closed; before that staff and councillors for  | closed / any time  |
|                          | the area                                                     |                    |
| view_comments / export   | officers and administrators for the area                     | any time           |

(*) Once anyone has responded, the services, ranges, step and target are frozen: the service refuses such
changes with a message (see ``services.py``). Superusers pass every check.
"""

from __future__ import annotations

import rules

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.accounts.rules import is_council_staff_anywhere as is_staff_anywhere
from localpower.accounts.rules import is_council_staff_for_area as is_staff_for_area
from localpower.accounts.rules import is_email_verified, is_superuser
from localpower.simulator.models import Audience, Simulator, Status

STAFF = (RoleKind.OFFICER, RoleKind.ADMINISTRATOR)


lives_in = roles.lives_in  # a verified resident of the area, as everywhere in the service


@rules.predicate
def is_simulator_staff(user, simulator) -> bool:
    return isinstance(simulator, Simulator) and roles.has_any_role(user, STAFF, simulator.area)


@rules.predicate
def is_simulator_councillor(user, simulator) -> bool:
    return isinstance(simulator, Simulator) and roles.has_role(user, RoleKind.COUNCILLOR, simulator.area)


@rules.predicate
def is_public(user, simulator) -> bool:
    return isinstance(simulator, Simulator) and simulator.status != Status.DRAFT


@rules.predicate
def is_open(user, simulator) -> bool:
    return isinstance(simulator, Simulator) and simulator.status == Status.OPEN


@rules.predicate
def is_closed(user, simulator) -> bool:
    return isinstance(simulator, Simulator) and simulator.status == Status.CLOSED


@rules.predicate
def in_audience(user, simulator) -> bool:
    if not isinstance(simulator, Simulator):
        return False
    if simulator.audience == Audience.SIGNED_IN:
        return True
    return lives_in(user, simulator.area)


staff = is_superuser | is_simulator_staff

rules.add_perm("simulator.manage_simulators", is_superuser | is_staff_anywhere)
rules.add_perm("simulator.add_simulator", is_superuser | is_staff_for_area)
rules.add_perm("simulator.change_simulator", staff)
rules.add_perm("simulator.view_simulator", is_public | staff)
rules.add_perm("simulator.respond", is_email_verified & in_audience & is_open)
rules.add_perm("simulator.view_results", (is_public & is_closed) | staff | is_simulator_councillor)
rules.add_perm("simulator.view_comments", staff)
rules.add_perm("simulator.export", staff)
