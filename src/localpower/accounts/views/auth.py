"""Sign up, confirm the e-mail address, sign in and out, reset or change the password."""

from __future__ import annotations

import logging
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from localpower.accounts import services
from localpower.accounts.forms import (
    GovukPasswordChangeForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    SignInForm,
    SignUpForm,
)
from localpower.accounts.models import User
from localpower.accounts.tokens import VerificationLinkError, read_email_verification_token
from localpower.core import audit
from localpower.core.ratelimit import RateLimiter

logger = logging.getLogger(__name__)


def sign_in_limiter() -> RateLimiter:
    return RateLimiter("sign-in", limit=settings.SIGN_IN_RATE_LIMIT, window=settings.SIGN_IN_RATE_WINDOW)


def too_many_attempts_message() -> str:
    minutes = max(1, math.ceil(settings.SIGN_IN_RATE_WINDOW / 60))
    return _("Too many attempts. Wait %(minutes)d minutes and try again.") % {"minutes": minutes}


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
            request=request,
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["signed_up_email"] = user.email
        return redirect("accounts:sign-up-sent")
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def sign_up_sent(request):
    return render(request, "accounts/check_your_email.html", {"email": request.user.email})


@require_http_methods(["GET"])
def verify_email(request, token: str):
    try:
        user = read_email_verification_token(token)
    except VerificationLinkError as error:
        return render(request, "accounts/verify_email_failed.html", {"expired": error.expired}, status=400)
    services.verify_email(user=user, request=request)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, _("Your e-mail address is confirmed. You can now take part."))
        return redirect("accounts:account")
    return render(request, "accounts/email_verified.html", {"verified_email": user.email})


@login_required
@require_POST
def resend_verification(request):
    if request.user.email_verified_at is not None:
        messages.info(request, _("Your e-mail address is already confirmed."))
        return redirect("accounts:account")
    limiter = RateLimiter("resend-verification", limit=3, window=60 * 60)
    if limiter.is_limited("user", str(request.user.pk)):
        messages.error(request, _("We have already sent several links. Wait an hour and try again."))
        return redirect("accounts:account")
    limiter.hit("user", str(request.user.pk))
    services.resend_verification(user=request.user, request=request)
    messages.success(
        request,
        _("We have sent a new link to %(email)s. It may take a few minutes to arrive.")
        % {"email": request.user.email},
    )
    return redirect(_safe_next(request, reverse("accounts:account")))


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = User.objects.normalise_email(form.cleaned_data["email"])
        address = audit.client_ip(request)
        limiter = sign_in_limiter()
        if limiter.is_limited("email", email) or limiter.is_limited("ip", address):
            # Refused without checking the password. Not audit-logged again: the entry was written when the
            # limit was reached, so repeated attempts cannot flood the log.
            logger.warning("Sign-in refused (rate limit) for %s from %s", email, address)
            form.add_error(None, too_many_attempts_message())
            status = 429
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                limited_by = [
                    kind
                    for kind, value in (("email", email), ("ip", address))
                    if value and limiter.hit(kind, value) == limiter.limit
                ]
                if limited_by:
                    audit.record(
                        action="accounts.sign_in_rate_limited",
                        summary=f"Sign-in paused after {limiter.limit} failed attempts for {email}",
                        changes={"email": email, "limited_by": limited_by},
                        request=request,
                    )
                    form.add_error(None, too_many_attempts_message())
                    status = 429
                else:
                    form.add_error(
                        None, _("The e-mail address or password is not right. Check them and try again.")
                    )
                    status = 400
            else:
                limiter.reset("email", email)
                login(request, user)
                return redirect(next_url)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = GovukPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        audit.record(
            actor=request.user,
            action="accounts.password_changed",
            target=request.user,
            summary="Changed password",
            request=request,
        )
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    return render(request, "accounts/change_password.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = GovukPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")
    extra_email_context = {"service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME}

    # Links sent per e-mail address and per network address in an hour, so the form cannot be used to flood
    # someone's inbox. Over the limit the page looks the same (it never says whether an account exists).
    limit_per_email = 3
    limit_per_address = 20

    def form_valid(self, form):
        limiter = RateLimiter("password-reset", limit=self.limit_per_email, window=60 * 60)
        address_limiter = RateLimiter("password-reset-ip", limit=self.limit_per_address, window=60 * 60)
        email = User.objects.normalise_email(form.cleaned_data["email"])
        address = audit.client_ip(self.request)
        if limiter.is_limited("email", email) or address_limiter.is_limited("ip", address):
            logger.warning("Password reset link not sent (rate limit) for %s from %s", email, address)
            return redirect(self.get_success_url())
        limiter.hit("email", email)
        address_limiter.hit("ip", address)
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            actor=form.user,
            action="accounts.password_reset",
            target=form.user,
            summary="Reset password with an e-mailed link",
            request=self.request,
        )
        # Following the link proves the person owns the address.
        services.verify_email(user=form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
