"""The account page: details, home postcode, roles held and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.accounts import selectors, services
from localpower.accounts.forms import ApiTokenForm, DetailsForm, HomePostcodeForm
from localpower.accounts.models import ApiToken


def _account_context(request, **extra) -> dict:
    user = request.user
    return {
        "roles": selectors.roles_of(user),
        "home_areas": user.home_areas(),
        "tokens": selectors.api_tokens_of(user),
        "token_form": ApiTokenForm(),
        **extra,
    }


@login_required
@require_safe
def account(request):
    return render(request, "accounts/account.html", _account_context(request))


@login_required
@require_http_methods(["GET", "POST"])
def details(request):
    form = DetailsForm(request.POST or None, initial={"display_name": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        services.update_details(
            user=request.user, display_name=form.cleaned_data["display_name"], request=request
        )
        messages.success(request, _("Your name has been changed."))
        return redirect("accounts:account")
    return render(request, "accounts/details.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def home_postcode(request):
    form = HomePostcodeForm(request.POST or None, initial={"postcode": request.user.home_postcode})
    if request.method == "POST" and form.is_valid():
        was_verified = request.user.postcode_verified
        services.change_home_postcode(
            user=request.user, postcode=form.cleaned_data["postcode"], request=request
        )
        if request.user.postcode_verified:
            messages.info(request, _("Your home postcode has not changed."))
        elif was_verified:
            messages.success(
                request, _("Your home postcode has been changed. Council staff will verify it again.")
            )
        else:
            messages.success(request, _("Your home postcode has been saved. Council staff will verify it."))
        return redirect("accounts:account")
    return render(request, "accounts/home_postcode.html", {"form": form})


@never_cache
@login_required
@require_POST
def create_token(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown once, in this response only; never stored or sent again.
            return render(request, "accounts/token_created.html", {"token": token, "raw_token": raw})
    return render(request, "accounts/account.html", _account_context(request, token_form=form), status=400)


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(user=request.user, token=token, request=request)
    messages.success(
        request, _("The token '%(name)s' has been revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("accounts:account")
