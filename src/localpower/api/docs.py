"""The API documentation page: rendered on the server from the OpenAPI description.

django-ninja's default docs page loads Swagger UI's scripts and styles from a CDN. Our Content-Security-Policy
only allows scripts and styles from this site (or with the request's nonce), machines running the service may
have no internet access, and Swagger UI has known accessibility problems. So this page is an ordinary page of
the site (GOV.UK styles, works without JavaScript, passes the axe checks) listing every endpoint with its
parameters and responses, and links to the OpenAPI JSON for tools that want it.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from ninja.openapi.docs import DocsBase

from localpower.api.throttling import DEFAULT_ANONYMOUS, DEFAULT_SIGNED_IN

METHODS = ("get", "post", "put", "patch", "delete")

# What each status means in this API, in place of the bare HTTP reason phrases in the OpenAPI description.
STATUS_MEANINGS = {
    200: "Success.",
    201: "Created.",
    401: "No token, or a token that is not valid (error code unauthorised).",
    403: "Not allowed (error code forbidden).",
    404: "Not found (error code not_found); the message says what was missing.",
    409: "Refused because of what was done before, such as voting twice (the code says why).",
    422: "A parameter is not valid (error code validation_error); details lists each problem.",
}


def inline_code(text: str) -> SafeString:
    """Escape text and show `backticked` words as code."""
    return mark_safe(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escape(text)))


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components.get(ref.rsplit("/", 1)[-1], {})
    return schema


def describe_type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """A short description of a JSON schema: 'integer, 1 to 200', 'one of: ward, parish', 'date'."""
    schema = _resolve(schema, components)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        parts = [describe_type(o, components) for o in options if o.get("type") != "null"]
        text = " or ".join(parts)
        return text + (" (optional)" if any(o.get("type") == "null" for o in options) else "")
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    text = schema.get("format") or schema.get("type") or "any"
    if text == "date":
        text = "date (YYYY-MM-DD)"
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        text += f", {low} to {high}"
    elif low is not None:
        text += f", at least {low}"
    if schema.get("maxLength"):
        text += f", at most {schema['maxLength']} characters"
    return text


def endpoints(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    components = openapi.get("components", {}).get("schemas", {})
    found = []
    for path, operations in openapi.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if not operation:
                continue
            parameters = [
                {
                    "name": p["name"],
                    "where": {"query": "query string", "path": "address"}.get(p["in"], p["in"]),
                    "required": p.get("required", False),
                    "type": describe_type(p.get("schema", {}), components),
                    "description": inline_code(
                        p.get("description") or p.get("schema", {}).get("description", "")
                    ),
                    "default": p.get("schema", {}).get("default"),
                }
                for p in operation.get("parameters", [])
            ]
            responses = [
                {
                    "status": status,
                    "description": STATUS_MEANINGS.get(int(status), response.get("description", "")),
                }
                for status, response in sorted(
                    operation.get("responses", {}).items(), key=lambda item: int(item[0])
                )
            ]
            found.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": inline_code(operation.get("description", "")),
                    "tag": (operation.get("tags") or ["Other"])[0],
                    "needs_auth": bool(operation.get("security")),
                    "parameters": parameters,
                    "responses": responses,
                }
            )
    return found


def examples(request) -> dict[str, str]:
    """A real address to try for each read endpoint, using areas and postcodes that exist here."""
    from localpower.places.models import Area, Postcode

    found = {"listAreas": reverse("api:areas") + "?kind=ward"}
    area = Area.objects.valid_on(None).filter(parent__isnull=False).order_by("name").first()
    if area is not None:
        found["getArea"] = reverse("api:area", kwargs={"slug": area.slug})
    postcode = Postcode.objects.filter(areas__isnull=False).order_by("postcode").first()
    if postcode is not None:
        found["getPostcode"] = reverse(
            "api:postcode", kwargs={"postcode": postcode.postcode.replace(" ", "")}
        )
    found["getMe"] = reverse("api:me")
    found.update(_budget_examples())
    return {key: request.build_absolute_uri(path) for key, path in found.items()}


def _budget_examples() -> dict[str, str]:
    """Budget addresses to try, when there are public budgets (none are invented)."""
    from localpower.budgets.models import Result
    from localpower.budgets.selectors import public_processes

    process = public_processes().order_by("-voting_opens_at", "pk").first()
    if process is None:
        return {}
    found = {
        "listBudgets": reverse("api:budgets"),
        "getBudget": reverse("api:budget", kwargs={"slug": process.slug}),
    }
    published = Result.objects.filter(published=True, process__in=public_processes()).order_by("-pk").first()
    if published is not None:
        slug = published.process.slug
        found["getBudgetResults"] = reverse("api:budget-results", kwargs={"slug": slug})
        for name, operation in (("pb", "exportBudgetPabulib"), ("csv", "exportBudgetCsv")):
            found[operation] = reverse(f"api:budget-export-{name}", kwargs={"slug": slug})
    return found


class EndpointList(DocsBase):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        openapi = api.get_openapi_schema(path_params=kwargs)
        found = endpoints(openapi)
        tries = examples(request) if api.urls_namespace == "api" else {}
        for endpoint in found:
            endpoint["example"] = tries.get(endpoint["id"])
        context = {
            "api": api,
            "endpoints": found,
            "openapi_url": request.build_absolute_uri(
                reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs)
            ),
            "base_url": request.build_absolute_uri(reverse(f"{api.urls_namespace}:api-root", kwargs=kwargs)),
            "rate_anonymous": getattr(settings, "API_RATE_LIMIT", DEFAULT_ANONYMOUS),
            "rate_signed_in": getattr(settings, "API_RATE_LIMIT_TOKEN", DEFAULT_SIGNED_IN),
        }
        return render(request, self.template, context)
