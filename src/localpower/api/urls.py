"""The JSON API at /api/v1/: areas, postcode look-up and the signed-in person.

See docs.py for why the documentation page is rendered on the server, errors.py for the error shape and
auth.py for tokens, sessions and CSRF.
"""

from localpower.api import (
    areas,
    budget_ideas,
    budgets,
    consultations,
    conversations,
    errors,
    me,
    postcodes,
    simulators,
)
from localpower.api.base import LocalPowerAPI, outside_versions
from localpower.api.docs import EndpointList
from localpower.api.throttling import ApiThrottle

api = LocalPowerAPI(
    title="Local Power API",
    version="1",
    urls_namespace="api",
    docs=EndpointList(),
    throttle=[ApiThrottle()],
    description="Areas, postcode look-up, community budgets (processes, ideas, ballots, receipts, results, "
    "anonymised exports and delivery), consultations (surveys, summaries and You said, we did), budget "
    "simulators and conversations (statements, votes, opinion groups and open data). Errors are JSON: "
    '{"error": {"code": "...", "message": "...", "details": [...]}}.',
)
errors.install(api)
api.add_router("", areas.router)
api.add_router("", postcodes.router)
api.add_router("", me.router)
api.add_router("", budgets.router)
api.add_router("", budget_ideas.router)
api.add_router("", consultations.router)
api.add_router("", simulators.router)
api.add_router("", conversations.router)

# Root urls.py sends every other /api/ address here, so it too answers JSON rather than an HTML page.
__all__ = ["api", "outside_versions"]
