"""Template helpers for GOV.UK markup, loaded in every template (see TEMPLATES builtins)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from localpower.core.forms import FIELDSET_WIDGETS

register = template.Library()


@register.filter
def govuk_describedby(field) -> str:
    """The ids of the hint and error messages that describe a field, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    for index, _error in enumerate(field.errors, start=1):
        ids.append(f"{field.auto_id}-error" + ("" if index == 1 else f"-{index}"))
    return " ".join(ids)


@register.filter
def govuk_anchor(field) -> str:
    """Where an error summary link should take the user: the input, or the first option of a fieldset."""
    if field.widget_type in FIELDSET_WIDGETS:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def govuk_widget(field):
    attrs = {}
    describedby = govuk_describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def govuk_error_summary(context, *forms):
    """Render one GOV.UK error summary for one or more forms (empty when none has errors)."""
    # Each piece is the output of an auto-escaping template, so joining them is safe.
    return mark_safe(  # noqa: S308
        "".join(
            render_to_string("core/forms/error_summary.html", {"form": form}, request=context.get("request"))
            for form in forms
            if form is not None and form.errors
        )
    )


@register.simple_tag(takes_context=True)
def nav_current(context, *prefixes: str) -> str:
    """' govuk-service-navigation__item--active' when the request path starts with one of the prefixes."""
    request = context.get("request")
    path = getattr(request, "path", "")
    for prefix in prefixes:
        if prefix == "/" and path == "/" or prefix != "/" and path.startswith(prefix):
            return " govuk-service-navigation__item--active"
    return ""


@register.filter
def govuk_is_fieldset(field) -> bool:
    return field.widget_type in FIELDSET_WIDGETS
