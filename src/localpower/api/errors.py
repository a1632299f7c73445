"""One JSON shape for every error the API returns.

Every error, whether raised by our code, by django-ninja (validation, authentication, throttling) or by an
unexpected exception, becomes::

    {"error": {"code": "not_found", "message": "A sentence for people.", "details": [...]}}

``code`` is stable and meant for programs; ``message`` is plain English and may change; ``details`` is a
list (often empty) of objects, for validation errors one per problem with ``location``, ``field`` and
``message``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

logger = logging.getLogger("localpower.api")

# The code for each HTTP status we return; anything else falls back to "error".
CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}

DEFAULT_MESSAGES = {
    400: "The request could not be understood.",
    401: "You need to authenticate: send the header 'Authorization: Bearer <token>' with a personal API token.",
    403: "You do not have permission to do this.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    422: "The request is not valid.",
    429: "Too many requests. Wait a little and try again.",
    500: "Something went wrong on our side. Try again later.",
}

# Limits that keep a hostile request from producing a huge error response.
MAX_DETAILS = 20
MAX_TEXT = 300


class ApiError(Exception):
    """Raise from an endpoint to return a JSON error with a chosen status, code and message."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message or DEFAULT_MESSAGES.get(status, "The request failed.")
        self.details = details or []
        self.headers = headers or {}
        super().__init__(self.message)


def _short(text: Any) -> str:
    text = str(text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def error_body(status: int, message: str, *, code: str | None = None, details=None) -> dict[str, Any]:
    return {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": _short(message),
            "details": list(details or [])[:MAX_DETAILS],
        }
    }


def json_error(
    status: int,
    message: str | None = None,
    *,
    code: str | None = None,
    details=None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A JSON error response built without django-ninja, for views outside its operations."""
    body = error_body(
        status, message or DEFAULT_MESSAGES.get(status, "The request failed."), code=code, details=details
    )
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(loc: list[Any]) -> tuple[str, str]:
    """Split ninja's error location, such as ["query", "page"], into (location, field)."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"query", "path", "body", "header", "cookie", "form", "file"}:
        return parts[0], ".".join(parts[1:])
    return "", ".".join(parts)


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    details = []
    for error in errors[:MAX_DETAILS]:
        location, field = _field_name(list(error.get("loc", [])))
        # The offending input is never echoed: it may be huge or hostile.
        details.append(
            {
                "location": location,
                "field": field,
                "message": _short(error.get("msg", "is not valid")),
                "type": str(error.get("type", "")),
            }
        )
    return details


def validation_message(details: list[dict[str, str]]) -> str:
    if not details:
        return DEFAULT_MESSAGES[422]
    problems = [f"{d['field'] or d['location'] or 'request'}: {d['message']}" for d in details[:3]]
    more = len(details) - 3
    return "Check the request. " + "; ".join(problems) + (f"; and {more} more." if more > 0 else ".")


def install(api) -> None:
    """Register the exception handlers on a NinjaAPI so every error has the shape above."""

    def respond(request: HttpRequest, status: int, message: str, *, code=None, details=None, headers=None):
        response = api.create_response(
            request, error_body(status, message, code=code, details=details), status=status
        )
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    def on_api_error(request, exc: ApiError):
        return respond(
            request, exc.status, exc.message, code=exc.code, details=exc.details, headers=exc.headers
        )

    def on_validation_error(request, exc: ValidationError):
        details = validation_details(exc.errors)
        return respond(request, 422, validation_message(details), details=details)

    def on_authentication_error(request, exc: AuthenticationError):
        message = getattr(request, "_api_auth_failure", None) or DEFAULT_MESSAGES[401]
        return respond(request, 401, message, headers={"WWW-Authenticate": 'Bearer realm="api"'})

    def on_authorisation_error(request, exc: AuthorizationError):
        return respond(request, 403, DEFAULT_MESSAGES[403])

    def on_throttled(request, exc: Throttled):
        headers = {"Retry-After": str(max(1, round(exc.wait)))} if exc.wait else {}
        return respond(request, 429, DEFAULT_MESSAGES[429], headers=headers)

    def on_http_error(request, exc: HttpError):
        status = exc.status_code
        if status == 403 and "CSRF" in str(exc):
            message = (
                "The CSRF check failed. Requests signed in with a browser session must send the CSRF token; "
                "programs should use a personal API token instead."
            )
        elif status == 400:
            message = "The request could not be understood: " + str(exc)
        else:
            message = DEFAULT_MESSAGES.get(status, str(exc))
        return respond(request, status, message)

    def on_not_found(request, exc: Http404):
        return respond(request, 404, DEFAULT_MESSAGES[404])

    def on_suspicious(request, exc: SuspiciousOperation):
        # Django refuses requests it considers abusive; these are the caller's fault, not ours.
        if isinstance(exc, RequestDataTooBig):
            return respond(request, 413, "The request body is too large.")
        if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
            return respond(request, 400, "The request has too many parameters.")
        logger.warning("Suspicious API request at %s: %s", request.path, exc)
        return respond(request, 400, DEFAULT_MESSAGES[400])

    def on_bad_body(request, exc: MultiPartParserError):
        return respond(request, 400, "The request body could not be read.")

    def on_exception(request, exc: Exception):
        logger.exception("Unexpected error in the API at %s", request.path, exc_info=exc)
        return respond(request, 500, DEFAULT_MESSAGES[500])

    api.add_exception_handler(Exception, on_exception)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(MultiPartParserError, on_bad_body)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(AuthorizationError, on_authorisation_error)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(ApiError, on_api_error)
