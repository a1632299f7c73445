"""The notification preferences page (signed in) and the unsubscribe page (from an e-mail, no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from localpower.notifications import selectors, services
from localpower.notifications.forms import PreferencesForm
from localpower.notifications.models import Kind
from localpower.notifications.tokens import read_unsubscribe_token


def _followable_areas():
    from localpower.places.models import Area

    return Area.objects.valid_on(timezone.localdate()).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = selectors.preference_of(request.user)
    initial = {
        "kinds": [k for k in Kind.values if getattr(preference, k)],
        "areas": sorted(selectors.followed_area_ids(request.user)),
    }
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, initial=initial, areas=_followable_areas())
    if request.method == "POST" and form.is_valid():
        services.set_preferences(
            user=request.user,
            kinds=set(form.cleaned_data["kinds"]),
            area_ids={a.pk for a in form.cleaned_data["areas"]},
        )
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "home_areas": request.user.home_areas(),
            "email_confirmed": bool(request.user.email_verified_at),
        },
    )


@login_required
@require_POST
def follow(request, area_id: int):
    from localpower.places.models import Area

    area = get_object_or_404(Area, pk=area_id)
    now_following = services.follow_area(
        user=request.user, area=area, follow=request.POST.get("follow") != "no"
    )
    if now_following:
        messages.success(request, _("You follow %(name)s.") % {"name": area.name})
    else:
        messages.success(request, _("You no longer follow %(name)s.") % {"name": area.name})
    return redirect("places:area", slug=area.slug)


# Mail programs that offer one-click unsubscribe POST to the link without a CSRF token (RFC 8058); the signed
# token in the address is the proof, and it can only turn e-mails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    kind = Kind(found[1])
    if request.method == "POST":
        services.unsubscribe(user=user, kind=kind)
        return render(request, "notifications/unsubscribe_done.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "token": token})
