"""The public summary of a consultation's results, once the council has published its response.

Only counts for choice, scale, ranking and number questions: never anything people wrote, uploaded or where
they live, and never who responded. Before the response is published, the area's staff and councillors can
preview the page (``view_summary``).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from localpower.consultations import selectors_results as selectors
from localpower.consultations.models import Consultation, Status


@require_safe
def summary(request, slug: str):
    consultation = get_object_or_404(
        Consultation.objects.select_related("area", "outcome").exclude(state="draft"), slug=slug
    )
    if not request.user.has_perm("consultations.view_summary", consultation):
        return render(request, "consultations/results/summary_pending.html", {"consultation": consultation})
    return render(
        request,
        "consultations/results/public_summary.html",
        {
            "consultation": consultation,
            "summary": selectors.summarise(consultation, public=True),
            "responded": consultation.status == Status.RESPONDED,
            "public": True,
        },
    )


@require_safe
def summary_csv(request, slug: str):
    """The public summary's figures as CSV (open data), once the council has responded."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("area", "outcome").exclude(state="draft"), slug=slug
    )
    if not request.user.has_perm("consultations.view_summary", consultation):
        raise Http404
    from localpower.consultations.exports import summary_csv as as_csv

    response = HttpResponse(
        as_csv(selectors.summarise(consultation, public=True)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-summary.csv"'
    return response
