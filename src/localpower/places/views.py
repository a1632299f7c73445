"""Public places pages: find your area by postcode, an area's page, and the list of all areas."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from localpower.places import selectors
from localpower.places.forms import BrowseForm, PostcodeForm
from localpower.places.panels import render_panels


@require_safe
def find_your_area(request):
    """GET form: with ``?postcode=`` it looks the postcode up, otherwise it shows an empty form."""
    form = PostcodeForm(request.GET if "postcode" in request.GET else None)
    context = {"form": form, "areas": None, "postcode": None}
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["postcode"]
        postcode = selectors.find_postcode(code)
        if postcode is None:
            form.add_error(
                "postcode",
                _("We could not find %(postcode)s. Check it is right or contact %(council)s")
                % {"postcode": code, "council": settings.COUNCIL_NAME},
            )
        else:
            # A postcode no longer used: show the areas it was in on its last day.
            last_day = postcode.terminated - datetime.timedelta(days=1) if postcode.is_terminated else None
            context["postcode"] = postcode
            context["areas"] = selectors.areas_for_postcode(code, on=last_day)
    return render(request, "places/find_your_area.html", context)


@require_safe
def area_detail(request, slug: str):
    area = selectors.area_by_slug(slug)
    if area is None:
        raise Http404
    children = selectors.children_of(area, include_past=True)
    context = {
        "area": area,
        "ancestors": selectors.ancestors(area),
        "current_children": [child for child in children if child.is_current],
        "past_children": [child for child in children if not child.is_current],
        "panels": render_panels(request, area),
        "successors": selectors.successors(area) if not area.is_current else [],
    }
    return render(request, "places/area_detail.html", context)


@require_safe
def browse(request):
    form = BrowseForm(request.GET or None)
    kind, include_past = "", False
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        include_past = form.cleaned_data["include_past"]
    elif form.is_bound:
        form = BrowseForm()  # an unknown kind in the address: show everything rather than an error
    nodes = selectors.area_tree(include_past=include_past, kind=kind or None)
    return render(
        request,
        "places/browse.html",
        {
            "form": form,
            "nodes": nodes,
            "kind": kind,
            "include_past": include_past,
            "filtered": bool(kind or include_past),
            "find_url": reverse("places:find"),
        },
    )
