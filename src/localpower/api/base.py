"""NinjaAPI with JSON answers for the requests django-ninja leaves to Django's HTML pages.

django-ninja answers a wrong method with a plain-text 405, the API root with a 404 HTML page and leaves
unknown paths to Django. Here every address under the API answers JSON in the shape of
``localpower.api.errors``, HEAD works wherever GET does, and the API root describes the API.
"""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.urls import NoReverseMatch, Resolver404, URLPattern, path, re_path, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from localpower.api.errors import json_error

SAFE_METHODS = ("GET", "HEAD")


def _allowed(response) -> list[str]:
    return sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip())


def _method_not_allowed(request: HttpRequest, allowed: list[str]):
    return json_error(
        405,
        f"This address does not accept {request.method[:20]} requests. It accepts: {', '.join(allowed)}.",
        details=[{"allowed_methods": allowed}],
        headers={"Allow": ", ".join(allowed)},
    )


def json_methods(view):
    """Wrap a django-ninja path view: HEAD is answered as GET, and a wrong method gets a JSON 405."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = _allowed(response)
            if request.method == "HEAD" and "GET" in allowed:
                # The web server drops the body of a HEAD response.
                request.method = "GET"
                response = view(request, *args, **kwargs)
                request.method = "HEAD"
                return response
            if "GET" in allowed:
                allowed.append("HEAD")
            return _method_not_allowed(request, sorted(set(allowed)))
        return response

    return wrapper


def safe_methods_only(view):
    """For the OpenAPI description and the docs page: GET and HEAD only, no CSRF (they change nothing)."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return _method_not_allowed(request, list(SAFE_METHODS))
        return view(request, *args, **kwargs)

    return wrapper


class LocalPowerAPI(NinjaAPI):
    """NinjaAPI whose every address, known or not, answers in JSON (apart from the HTML docs page)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("docs_decorator", safe_methods_only)
        super().__init__(*args, **kwargs)

    def _get_urls(self):
        patterns = []
        for pattern in super()._get_urls():
            if getattr(pattern, "name", None) == "api-root":
                continue  # replaced below
            if isinstance(pattern, URLPattern) and pattern.name not in {"openapi-json", "openapi-view"}:
                pattern.callback = json_methods(pattern.callback)
            patterns.append(pattern)
        patterns.append(path("", csrf_exempt(self.root_view), name="api-root"))
        patterns.append(re_path(r"^.*$", csrf_exempt(self.not_found_view), name="not-found"))
        return patterns

    def root_view(self, request: HttpRequest):
        if request.method not in SAFE_METHODS:
            return _method_not_allowed(request, list(SAFE_METHODS))
        ns = self.urls_namespace
        about = {"name": self.title, "version": self.version, "description": self.description}
        if self.openapi_url:
            about["openapi"] = request.build_absolute_uri(reverse(f"{ns}:openapi-json"))
            if self.docs_url:
                about["docs"] = request.build_absolute_uri(reverse(f"{ns}:openapi-view"))
        return JsonResponse(about)

    def not_found_view(self, request: HttpRequest):
        message = "There is nothing at this address. See the API documentation for the addresses that exist."
        # Suggest the address without (or with) the trailing slash when that one exists.
        current = request.path_info
        other = current.rstrip("/") if current.endswith("/") else current + "/"
        try:
            match = resolve(other)
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found" and len(other) <= 200:
            message = f"There is nothing at this address. Did you mean {request.build_absolute_uri(other)}?"
        return json_error(404, message)


@csrf_exempt
def outside_versions(request: HttpRequest):
    """Anything under /api/ that is not a version of the API: JSON, pointing at the current version."""
    try:
        current = request.build_absolute_uri(reverse("api:api-root"))
    except NoReverseMatch:
        current = "/api/v1/"
    return json_error(
        404, f"There is nothing at this address. The current version of the API is at {current}"
    )
