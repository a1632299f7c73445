"""Permissions for the core app: the audit log is read by administrators only."""

from __future__ import annotations

import rules

from localpower.accounts.rules import is_administrator, is_superuser

rules.add_perm("core.view_auditentry", is_superuser | is_administrator)
