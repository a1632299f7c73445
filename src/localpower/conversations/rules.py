"""Who may do what in conversations (django-rules), by role and by phase.

Objects: ``conversations.add_conversation`` takes an area; ``report`` and ``moderate`` take a conversation or a
statement; the rest take a ``Conversation``.

| permission                    | who                                                            | when              |
|-------------------------------|----------------------------------------------------------------|-------------------|
| manage_conversations (staff)  | officers, administrators and moderators for any area           | any time          |
| add_conversation              | officers and administrators for the area                       | any time          |
| change_conversation           | officers and administrators for the area                       | any time          |
| view_conversation             | everyone (drafts: staff and moderators for the area only)      | not draft         |
| view_analysis / export        | everyone who can see the conversation                          | not draft         |
| take_part (vote, tags)        | signed in with a confirmed e-mail; if the conversation says    | open              |
|                               | so, only verified residents of the area                        |                   |
| add_statement                 | those who can take part, if the conversation allows statements | open              |
| add_seed_statement            | officers and administrators for the area                       | not closed        |
| report                        | anyone signed in with a confirmed e-mail address               | not draft         |
| moderate                      | moderators, officers and administrators for the area           | any time          |

Superusers pass every check. Officers moderate their own conversations because they run them (as a Pol.is
conversation's owner does); moderators and administrators can moderate any conversation in their areas.
"""

from __future__ import annotations

import rules

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.accounts.rules import is_council_staff_for_area as is_staff_for_area
from localpower.accounts.rules import is_email_verified, is_superuser
from localpower.conversations.models import Conversation, Eligibility, Phase, Statement

STAFF = (RoleKind.OFFICER, RoleKind.ADMINISTRATOR)
MODERATORS = (RoleKind.MODERATOR, RoleKind.OFFICER, RoleKind.ADMINISTRATOR)


def _conversation(obj) -> Conversation | None:
    if isinstance(obj, Conversation):
        return obj
    if isinstance(obj, Statement):
        return obj.conversation
    return None


@rules.predicate
def is_staff_or_moderator_anywhere(user) -> bool:
    return roles.has_any_role(user, MODERATORS)


@rules.predicate
def is_conversation_staff(user, obj) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and roles.has_any_role(user, STAFF, conversation.area)


@rules.predicate
def is_conversation_moderator(user, obj) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and roles.has_any_role(user, MODERATORS, conversation.area)


@rules.predicate
def is_public(user, obj) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.phase != Phase.DRAFT


@rules.predicate
def is_open(user, obj) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.phase == Phase.OPEN


@rules.predicate
def not_closed(user, obj) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.phase != Phase.CLOSED


@rules.predicate
def is_eligible(user, obj) -> bool:
    """Anyone signed in may take part, or only verified residents of the area, as the conversation says."""
    conversation = _conversation(obj)
    if conversation is None:
        return False
    if conversation.eligibility == Eligibility.SIGNED_IN:
        return True
    return roles.lives_in(user, conversation.area)


@rules.predicate
def statements_allowed(user, obj) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.allow_statements


staff = is_superuser | is_conversation_staff
moderators = is_superuser | is_conversation_moderator
taking_part = is_email_verified & is_eligible & is_open

rules.add_perm("conversations.manage_conversations", is_superuser | is_staff_or_moderator_anywhere)
rules.add_perm("conversations.add_conversation", is_superuser | is_staff_for_area)
rules.add_perm("conversations.change_conversation", staff)
rules.add_perm("conversations.view_conversation", is_public | staff | moderators)
rules.add_perm("conversations.view_analysis", is_public | staff | moderators)
rules.add_perm("conversations.export", is_public | staff | moderators)
rules.add_perm("conversations.take_part", taking_part)
rules.add_perm("conversations.add_statement", taking_part & statements_allowed)
rules.add_perm("conversations.add_seed_statement", staff & not_closed)
rules.add_perm("conversations.report", is_email_verified & is_public)
rules.add_perm("conversations.moderate", moderators)
