"""How API callers prove who they are.

* Programs send a personal API token (created on the account page): ``Authorization: Bearer <token>``.
  Tokens are not sent automatically by browsers, so these requests need no CSRF token.
* A browser that is signed in to the site may also call the API with its session cookie. Cookies are sent
  automatically, so unsafe methods (POST, PUT, PATCH, DELETE) made this way must carry the CSRF token,
  exactly as the site's forms do.

A request with a Bearer token that is wrong is refused outright (401) rather than falling back to the
session, so a program never acts as someone else by accident. Other kinds of ``Authorization`` header are left
alone (a password-protected test site may add one to every request).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from localpower.api.errors import ApiError

# Tokens are URL-safe text; anything else (spaces, control characters, huge values) cannot be one, and
# is refused before it reaches the database.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_.~+/=-]{8,256}")

INVALID_TOKEN = (
    "The API token is not valid. It may have been mistyped, revoked or have expired: "
    "create a new one on your account page."
)
MALFORMED_HEADER = "The Authorization header must be 'Bearer ' followed by a personal API token."


def _refuse(request: HttpRequest, message: str):
    request._api_auth_failure = message
    raise ApiError(401, message, headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` checked by ``localpower.accounts.tokens.authenticate_token``."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            # Perhaps meant for something else (such as a password-protected test site in front of this
            # one): let the session decide, and explain the Bearer format if nothing else signs the caller in.
            request._api_auth_failure = MALFORMED_HEADER
            return None
        if not token.strip():
            _refuse(request, MALFORMED_HEADER)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        from localpower.accounts.tokens import authenticate_token

        if not TOKEN_PATTERN.fullmatch(token):
            _refuse(request, INVALID_TOKEN)
        user = authenticate_token(token)
        if user is None or not user.is_active:
            _refuse(request, INVALID_TOKEN)
        request.user = user
        request.api_token_used = True
        return user


class SessionAuth(APIKeyCookie):
    """The site's session cookie; unsafe methods must pass Django's CSRF check."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "Signed in to the website (unsafe methods also need the CSRF token)."

    def _get_key(self, request: HttpRequest):
        # Only check CSRF for someone actually signed in, so an anonymous caller gets 401, not 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(
                403,
                "The CSRF check failed. Requests made with a browser session must send the CSRF token "
                "(header X-CSRFToken); programs should use a personal API token instead.",
                details=[{"reason": "csrf_failed"}],
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if key and user is not None and user.is_authenticated and user.is_active:
            return user
        return None


token_auth = TokenAuth()
session_auth = SessionAuth()

# Endpoints that need someone signed in accept either.
signed_in = [token_auth, session_auth]
