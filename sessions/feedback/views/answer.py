"""Her questionnaires, from the signed link in her message (or the same link on her home).
No account is needed: the link is the proof of who she is, as for invitations (ADR 29). A
tampered or expired link gets a kind page that names nobody."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waitroom.client_address import client_address

from .. import selectors, services
from ..forms import AnswerForm, IdeasForm
from ..links import InvalidFeedbackLink, request_from_token
from ..models import FeedbackRequest


def _request(http: HttpRequest, token: str) -> FeedbackRequest | HttpResponse:
    try:
        request = request_from_token(token)
    except InvalidFeedbackLink:
        return render(http, "feedback/link_problem.html", status=404)
    if request.patient.pregnancy_ended_at is not None:
        return render(http, "feedback/closed.html", status=410)
    return request


def _open_request(http: HttpRequest, token: str) -> FeedbackRequest | HttpResponse:
    """Her request while she may still answer it; once finished, the thanks page instead."""
    request = _request(http, token)
    if isinstance(request, FeedbackRequest) and request.completed_at is not None:
        return redirect("feedback_thanks", token=token)
    return request


def _user(http: HttpRequest):
    return http.user if http.user.is_authenticated else None


@never_cache
def feedback_start(http: HttpRequest, token: str) -> HttpResponse:
    request = _open_request(http, token)
    if isinstance(request, HttpResponse):
        return request
    questions = selectors.questionnaire(request)
    step = questions.next_unanswered
    return render(
        http,
        "feedback/start.html",
        {
            "token": token,
            "clinic": request.clinic,
            "questions": questions,
            "next_step": step.number if step else None,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_question(http: HttpRequest, token: str, step: int) -> HttpResponse:
    request = _open_request(http, token)
    if isinstance(request, HttpResponse):
        return request
    questions = selectors.questionnaire(request)
    current = questions.step(step)
    if current is None:
        return render(http, "feedback/link_problem.html", status=404)
    saved = questions.answer(current)
    if http.method == "POST":
        form = AnswerForm(http.POST, item=current.item)
        if form.is_valid():
            services.response_answer(
                request=request,
                instrument=current.instrument,
                item_key=current.item.key,
                value=form.cleaned_data["answer"],
                user=_user(http),
            )
            if step < questions.total:
                return redirect("feedback_question", token=token, step=step + 1)
            return redirect("feedback_ideas", token=token)
    else:
        form = AnswerForm(initial={"answer": saved} if saved else None, item=current.item)
        if saved:
            services.audit_answers_read(
                request=request, user=_user(http), ip_address=client_address(http)
            )
    return render(
        http,
        "feedback/question.html",
        {
            "token": token,
            "clinic": request.clinic,
            "form": form,
            "step": current,
            "total": questions.total,
            "previous": step - 1 if step > 1 else None,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_ideas(http: HttpRequest, token: str) -> HttpResponse:
    request = _open_request(http, token)
    if isinstance(request, HttpResponse):
        return request
    questions = selectors.questionnaire(request)
    if http.method == "POST":
        form = IdeasForm(http.POST)
        if form.is_valid():
            services.request_finish(
                request=request,
                waiting_room=form.cleaned_data["waiting_room"],
                next_topic=form.cleaned_data["next_topic"],
                user=_user(http),
            )
            return redirect("feedback_thanks", token=token)
    else:
        form = IdeasForm()
    return render(
        http,
        "feedback/ideas.html",
        {
            "token": token,
            "clinic": request.clinic,
            "form": form,
            "previous": questions.total or None,
            "unanswered": questions.total - questions.answered,
        },
    )


@never_cache
def feedback_thanks(http: HttpRequest, token: str) -> HttpResponse:
    request = _request(http, token)
    if isinstance(request, HttpResponse):
        return request
    if request.completed_at is None:
        return redirect("feedback_start", token=token)
    return render(
        http,
        "feedback/thanks.html",
        {"clinic": request.clinic, "signed_in": http.user.is_authenticated},
    )
