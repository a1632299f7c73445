from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    from localpower.places.forms import PostcodeForm

    return render(request, "core/home.html", {"postcode_form": PostcodeForm()})


@require_safe
def have_your_say(request):
    from localpower.core.hub import groups_for

    return render(request, "core/have_your_say.html", {"groups": groups_for(request)})


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_safe
def privacy(request):
    return render(request, "core/privacy.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)
