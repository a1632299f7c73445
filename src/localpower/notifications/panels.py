"""The "E-mail updates" panel on an area's page: follow the area to hear about its budgets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.places.panels import AreaPanel


def follow_panel(request, area) -> AreaPanel | None:
    """Shown to signed-in people on the page of an area that has (or contains an area with) public budgets."""
    from localpower.budgets.selectors import public_processes
    from localpower.notifications.models import AreaFollow
    from localpower.places.selectors import descendant_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not public_processes().filter(area_id__in=descendant_ids(area)).exists():
        return None
    return AreaPanel(
        title=_("E-mail updates"),
        template_name="notifications/area_panel.html",
        context={"following": AreaFollow.objects.filter(user=user, area=area).exists()},
        order=90,
    )
