"""Staff pages for a consultation's results: the summary of every question, the written answers (browsed,
searched and tagged), single responses, downloads of every response, and uploaded evidence.

Officers, administrators and councillors for the area may read (``view_responses``); officers and
administrators may tag (``tag_answers``) and download every response (``export_responses``). Respondents' names appear only for identified consultations.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.consultations import exports
from localpower.consultations import selectors_results as selectors
from localpower.consultations.forms.results import BrowseForm, SummaryFilterForm, TagForm
from localpower.consultations.models import (
    Anonymity,
    Answer,
    Consultation,
    ConsultationState,
    QuestionKind,
    ResponseStatus,
    Tag,
)
from localpower.consultations.services import results as services

PAGE_SIZE = 25

STAFF_PAGES = (
    ("results", "consultations:staff-results", gettext_lazy("Summary")),
    ("responses", "consultations:staff-responses", gettext_lazy("Written answers")),
    ("tags", "consultations:staff-tags", gettext_lazy("Tags")),
    ("outcome", "consultations:staff-outcome", gettext_lazy("You said, we did")),
)


def results_links(consultation: Consultation) -> list[dict]:
    """Links between the results pages (and the public page, once it exists)."""
    links = []
    try:
        links.append(
            {
                "key": "overview",
                "url": reverse("consultations:staff-overview", args=[consultation.slug]),
                "label": _("Overview"),
            }
        )
    except NoReverseMatch:
        pass
    for key, name, label in STAFF_PAGES:
        links.append({"key": key, "url": reverse(name, args=[consultation.slug]), "label": label})
    try:
        links.append({"key": "public", "url": consultation.get_absolute_url(), "label": _("Public page")})
    except NoReverseMatch:
        pass
    return links


def results_page(perm: str = "consultations.view_responses"):
    """Sign-in required; the person must have ``perm`` on the consultation (by slug) or gets a 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, slug: str, *args, **kwargs):
            consultation = get_object_or_404(Consultation.objects.select_related("area"), slug=slug)
            request.results_links = results_links(consultation)
            if not request.user.has_perm(perm, consultation):
                if consultation.state == ConsultationState.DRAFT and request.user.has_perm(
                    "consultations.change_consultation", consultation
                ):
                    # Nothing to read yet: say so rather than refuse the area's own staff.
                    return render(
                        request,
                        "consultations/results/draft.html",
                        {"consultation": consultation, "links": request.results_links, "here": "results"},
                    )
                raise PermissionDenied
            return view(request, consultation, *args, **kwargs)

        return wrapped

    return decorator


@require_safe
@results_page()
def summary(request, consultation: Consultation):
    form = SummaryFilterForm(request.GET or None, consultation=consultation)
    result = selectors.summarise(consultation, form.filters())
    return render(
        request,
        "consultations/results/staff_summary.html",
        {
            "consultation": consultation,
            "summary": result,
            "form": form,
            "links": request.results_links,
            "here": "results",
            "public": False,
            "query": request.GET.urlencode() if summary_filtered(form) else "",
            "by_day": selectors.responses_by_day(consultation, form.filters()),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def summary_filtered(form) -> bool:
    return form.is_bound and form.is_valid() and form.filters().active


def _pick_question(request, consultation: Consultation):
    questions = selectors.text_questions(consultation)
    wanted = request.GET.get("question", "")
    chosen = next((q for q in questions if str(q.pk) == wanted), None)
    if chosen is None and questions:
        # The first question people have written answers to, so the page does not open on an empty one.
        answered = set(
            Answer.objects.filter(question__in=questions, response__status=ResponseStatus.SUBMITTED)
            .exclude(text="")
            .values_list("question_id", flat=True)
            .distinct()
        )
        chosen = next((q for q in questions if q.pk in answered), questions[0])
    return questions, chosen


@require_safe
@results_page()
def responses(request, consultation: Consultation):
    """Written answers to one question at a time, with search, a tag filter and the coding frame."""
    questions, question = _pick_question(request, consultation)
    context = {
        "consultation": consultation,
        "links": request.results_links,
        "here": "responses",
        "questions": questions,
        "question": question,
        "can_tag": request.user.has_perm("consultations.tag_answers", consultation),
        "recent": selectors.sent_responses(consultation).order_by("-submitted_at", "-pk")[:PAGE_SIZE],
        "sent_count": selectors.sent_responses(consultation).count(),
    }
    if question is not None:
        tags, answered, untagged = selectors.coding_frame(question)
        form = BrowseForm(request.GET or None, tags=tags)
        criteria = form.criteria() if form.is_bound else {}
        page = Paginator(selectors.text_answers(question, **criteria), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "form": form,
                "tags": tags,
                "answered": answered,
                "untagged": untagged,
                "page": page,
                "query": query.urlencode(),
                "here_url": request.get_full_path(),
                "tag_form": TagForm(),
            }
        )
    return render(request, "consultations/results/staff_responses.html", context)


@require_safe
@results_page()
def response_detail(request, consultation: Consultation, reference: str):
    response = selectors.response_detail(consultation, reference)
    if response is None:
        raise Http404
    before, after = selectors.neighbours(consultation, response)
    return render(
        request,
        "consultations/results/staff_response.html",
        {
            "consultation": consultation,
            "links": request.results_links,
            "here": "responses",
            "response": response,
            "answers": [(a, selectors.answer_value(a)) for a in response.answers.all()],
            "identified": consultation.anonymity == Anonymity.IDENTIFIED,
            "before": before,
            "after": after,
            "can_tag": request.user.has_perm("consultations.tag_answers", consultation),
        },
    )


def _back(request, consultation: Consultation) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("consultations:staff-responses", args=[consultation.slug])


def _tagged_answer(consultation: Consultation, answer_id: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("response__consultation", "question__section").prefetch_related("tags"),
        pk=answer_id,
        response__consultation=consultation,
        response__status=ResponseStatus.SUBMITTED,
        question__kind__in=[QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT],
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer_fragment(request, consultation, answer: Answer, *, error: str = "", status: int = 200):
    return render(
        request,
        "consultations/results/includes/answer_tags.html",
        {
            "consultation": consultation,
            "answer": answer,
            "can_tag": True,
            "here_url": request.POST.get("next", ""),
            "tag_error": error,
        },
        status=status,
    )


@require_POST
@results_page("consultations.tag_answers")
def tag_add(request, consultation: Consultation, answer_id: int):
    answer = _tagged_answer(consultation, answer_id)
    form = TagForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            tag = services.add_tag(
                actor=request.user, answer=answer, name=form.cleaned_data["name"], request=request
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            if not _is_htmx(request):
                messages.success(request, _("Tagged “%(tag)s”.") % {"tag": tag.name})
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if _is_htmx(request):
        answer = _tagged_answer(consultation, answer_id)
        return _answer_fragment(request, consultation, answer, error=error, status=200)
    if error:
        messages.error(request, error)
    return redirect(_back(request, consultation))


MAX_BULK = PAGE_SIZE * 4


@require_http_methods(["GET", "POST"])
@results_page()
def tags(request, consultation: Consultation):
    """The consultation's tags with how often each is used; officers rename (or merge) and delete them."""
    can_tag = request.user.has_perm("consultations.tag_answers", consultation)
    found = list(
        Tag.objects.filter(consultation=consultation).annotate(uses=Count("answers")).order_by("name")
    )
    form, editing = None, None
    if request.method == "POST":
        if not can_tag:
            raise PermissionDenied
        wanted = request.POST.get("tag", "")
        tag = get_object_or_404(
            Tag, pk=int(wanted) if wanted.isdigit() and len(wanted) < 19 else 0, consultation=consultation
        )
        if request.POST.get("action") == "delete":
            services.delete_tag(actor=request.user, tag=tag, request=request)
            messages.success(request, _("Deleted the tag “%(tag)s”.") % {"tag": tag.name})
            return redirect("consultations:staff-tags", slug=consultation.slug)
        form, editing = TagForm(request.POST, prefix=f"tag-{tag.pk}"), tag.pk
        if form.is_valid():
            try:
                kept = services.rename_tag(
                    actor=request.user, tag=tag, name=form.cleaned_data["name"], request=request
                )
            except ValidationError as failure:
                form.add_error("name", failure.messages)
            else:
                if kept.pk == tag.pk:
                    messages.success(request, _("Renamed the tag “%(tag)s”.") % {"tag": kept.name})
                else:
                    messages.success(request, _("Merged the tag into “%(tag)s”.") % {"tag": kept.name})
                return redirect("consultations:staff-tags", slug=consultation.slug)
    return render(
        request,
        "consultations/results/staff_tags.html",
        {
            "consultation": consultation,
            "links": request.results_links,
            "here": "tags",
            "tags": found,
            "can_tag": can_tag,
            "form": form,
            "editing": editing,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@results_page("consultations.tag_answers")
def tag_bulk(request, consultation: Consultation):
    """Put one tag on every answer ticked on the page (the boxes belong to this form by their form attribute)."""
    ids = [int(v) for v in request.POST.getlist("answers")[:MAX_BULK] if v.isdigit() and len(v) < 19]
    form = TagForm(request.POST)
    if not ids:
        messages.error(request, _("Select at least one answer to tag."))
        return redirect(_back(request, consultation))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(_back(request, consultation))
    answers = Answer.objects.select_related("response__consultation", "question").filter(
        pk__in=ids,
        response__consultation=consultation,
        response__status=ResponseStatus.SUBMITTED,
        question__kind__in=[QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT],
    )
    tagged, name = 0, form.cleaned_data["name"]
    try:
        for answer in answers:
            name = services.add_tag(actor=request.user, answer=answer, name=name, request=request).name
            tagged += 1
    except ValidationError as failure:
        messages.error(request, " ".join(failure.messages))
    else:
        messages.success(
            request,
            ngettext("Tagged %(count)d answer “%(tag)s”.", "Tagged %(count)d answers “%(tag)s”.", tagged)
            % {"count": tagged, "tag": name},
        )
    return redirect(_back(request, consultation))


@require_POST
@results_page("consultations.tag_answers")
def tag_remove(request, consultation: Consultation, answer_id: int, tag_id: int):
    answer = _tagged_answer(consultation, answer_id)
    tag = get_object_or_404(Tag, pk=tag_id, consultation=consultation)
    services.remove_tag(actor=request.user, answer=answer, tag=tag, request=request)
    if _is_htmx(request):
        return _answer_fragment(request, consultation, _tagged_answer(consultation, answer_id))
    messages.success(request, _("Removed the tag “%(tag)s”.") % {"tag": tag.name})
    return redirect(_back(request, consultation))


def _export_filters(request, consultation: Consultation):
    """The summary's filters, when the download link carries them; invalid ones are ignored."""
    form = SummaryFilterForm(request.GET or None, consultation=consultation)
    filters = form.filters()
    described = {}
    if filters.option is not None:
        described["option"] = f"{filters.option.question.text} = {filters.option.text}"
    if filters.since:
        described["since"] = filters.since.isoformat()
    if filters.until:
        described["until"] = filters.until.isoformat()
    return (filters if filters.active else None), described


def _download(request, consultation: Consultation, file_format: str):
    filters, described = _export_filters(request, consultation)
    services.record_export(
        actor=request.user,
        consultation=consultation,
        file_format=file_format,
        filters=described,
        request=request,
    )
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(consultation, filters), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.export_xlsx(consultation, filters),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = exports.filename(consultation, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@results_page("consultations.export_responses")
def export_csv(request, consultation: Consultation):
    return _download(request, consultation, "csv")


@require_safe
@results_page("consultations.export_responses")
def export_xlsx(request, consultation: Consultation):
    return _download(request, consultation, "xlsx")


@require_safe
@results_page()
def summary_csv(request, consultation: Consultation):
    """The summary's figures (with its filters) as CSV, for reports."""
    form = SummaryFilterForm(request.GET or None, consultation=consultation)
    response = HttpResponse(
        exports.summary_csv(selectors.summarise(consultation, form.filters())),
        content_type="text/csv; charset=utf-8",
    )
    name = f"{consultation.slug}-summary-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@results_page()
def answer_file(request, consultation: Consultation, answer_id: int):
    """Evidence a respondent uploaded, for the people who may read the responses only."""
    answer = get_object_or_404(
        Answer,
        pk=answer_id,
        response__consultation=consultation,
        response__status=ResponseStatus.SUBMITTED,
        question__kind=QuestionKind.FILE,
    )
    if not answer.file:
        raise Http404
    try:
        handle = answer.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = answer.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
