"""Running and recording a session: run sheet, attendance, notes, concerns, debriefs, governance.

Access (waitroom.access, then the selectors' `*_visible_to`): staff of another clinic get a 404;
a peer supporter reaches only the sessions she runs and the concerns and debriefs that are hers,
and sees display names, appointment times, interpreter need and attendance, never clinical
detail. Every read or change of a note, concern, debrief or a woman's details is audited in the
request's transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from resources.models import Resource, Signposting
from sessions.models import Patient
from waitroom.access import STAFF_ROLES, clinic_for_user, staff_clinics, staff_required
from waitroom.audit import audit_record
from waitroom.models import AuditEvent, Clinic, Role, User

from . import selectors, services
from .audit import audit_patients_viewed
from .forms import (
    AddendumForm,
    AttendanceForm,
    CloseConcernForm,
    ConcernForm,
    ConcernLeadsForm,
    DebriefForm,
    NoteForm,
    PeerSupporterRecordForm,
    TopicForm,
)
from .models import (
    Concern,
    ConcernCategory,
    ConcernLead,
    DiscussionTopic,
    PeerSupporterRecord,
)

COORDINATORS = (Role.COORDINATOR,)
PROFESSIONALS = (Role.COORDINATOR, Role.FACILITATOR)
Action = AuditEvent.Action


def _run_sheet_context(request: HttpRequest, clinic: Clinic, session) -> dict:
    professional = selectors.is_professional(request.user, clinic)
    sheet = selectors.run_sheet(session, professional=professional)
    audit_patients_viewed(
        request, clinic=clinic, shown_on=session, patient_ids=[r.patient_id for r in sheet.rows]
    )
    return {
        "clinic": clinic,
        "session": session,
        "sheet": sheet,
        "professional": professional,
        "attendance_refusal": session.check_in_refusal(),
    }


@staff_required(*STAFF_ROLES)
def run_sheet(request: HttpRequest, clinic_slug: str, session_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    context = _run_sheet_context(request, clinic, session)
    context["notes"] = list(
        selectors.notes_visible_to(request.user, clinic)
        .filter(session=session)
        .select_related("author")
    )
    # Each concern she raised here, with the woman it is about as the run sheet labels her.
    labels = {row.patient_id: row.label for row in context["sheet"].rows}
    context["my_concerns"] = [
        (concern, labels.get(concern.patient_id, "") if concern.patient_id else "")
        for concern in selectors.concerns_raised_by(request.user, clinic).filter(session=session)
    ]
    context["can_debrief"] = not context["professional"]
    return render(request, "facilitation/run_sheet.html", context)


@staff_required(*STAFF_ROLES)
def run_sheet_women(request: HttpRequest, clinic_slug: str, session_id: int) -> HttpResponse:
    """The women's rows alone, for the run sheet's poller. 204 (nothing read, nothing audited)
    when nothing changed since the version the page already shows."""
    clinic = clinic_for_user(request.user, clinic_slug)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    if request.GET.get("version") == selectors.run_sheet_version(session):
        return HttpResponse(status=204)
    context = _run_sheet_context(request, clinic, session)
    return render(request, "facilitation/_run_sheet_women.html", context)


@require_POST
@staff_required(*STAFF_ROLES)
def attendance_mark(
    request: HttpRequest, clinic_slug: str, session_id: int, patient_id: int
) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    sheet = selectors.run_sheet(session, professional=False)
    if patient_id not in {row.patient_id for row in sheet.rows}:
        raise Http404("She is not expected at this session")
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how she attended")
    else:
        patient = Patient.objects.get(pk=patient_id)
        try:
            attendance = services.attendance_mark(
                session=session,
                patient=patient,
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except services.FacilitationError as refusal:
            messages.error(request, str(refusal))
        else:
            audit_record(request, Action.CHANGE, attendance, clinic=clinic, patient_id=patient_id)
    url = reverse("run_sheet", kwargs={"clinic_slug": clinic.slug, "session_id": session.pk})
    return redirect(f"{url}#woman-{patient_id}")


# --- Notes ----------------------------------------------------------------------------------------


def _note_form(request: HttpRequest, clinic: Clinic, session, **kwargs) -> NoteForm:
    return NoteForm(
        request.POST or None,
        topics=DiscussionTopic.objects.filter(clinic=clinic).active(),
        resources=Resource.objects.current().for_cohort(session.cohort).select_related("partner"),
        **kwargs,
    )


@staff_required(*STAFF_ROLES)
def note_create(request: HttpRequest, clinic_slug: str, session_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    form = _note_form(request, clinic, session)
    if request.method == "POST" and form.is_valid():
        note = services.note_create(
            session=session,
            author=request.user,
            topics=form.cleaned_data["topics"],
            summary=form.cleaned_data["summary"],
            resources=form.cleaned_data["resources"],
        )
        audit_record(request, Action.CREATE, note, clinic=clinic)
        messages.success(request, "Note saved. You can change it for the next 24 hours.")
        return redirect("note_detail", clinic_slug=clinic.slug, note_id=note.pk)
    return render(
        request,
        "facilitation/note_form.html",
        {"clinic": clinic, "session": session, "form": form, "note": None},
    )


def _note_for_user(request: HttpRequest, clinic: Clinic, note_id: int):
    notes = selectors.notes_visible_to(request.user, clinic).select_related(
        "author", "session__cohort", "session__clinic"
    )
    return get_object_or_404(notes, pk=note_id)


@staff_required(*STAFF_ROLES)
def note_detail(request: HttpRequest, clinic_slug: str, note_id: int) -> HttpResponse:
    """The note, its addenda and signposting; a POST adds an addendum (once it is locked)."""
    clinic = clinic_for_user(request.user, clinic_slug)
    note = _note_for_user(request, clinic, note_id)
    form = AddendumForm(request.POST or None)
    if request.method == "POST":
        if note.author_id != request.user.pk and not selectors.is_professional(
            request.user, clinic
        ):
            raise PermissionDenied
        if form.is_valid():
            services.note_add_addendum(
                note=note, author=request.user, text=form.cleaned_data["text"]
            )
            audit_record(request, Action.CHANGE, note, clinic=clinic)
            messages.success(request, "Addendum added.")
            return redirect("note_detail", clinic_slug=clinic.slug, note_id=note.pk)
    audit_record(request, Action.VIEW, note, clinic=clinic)
    return render(
        request,
        "facilitation/note_detail.html",
        {
            "clinic": clinic,
            "note": note,
            "topics": list(note.topics.all()),
            "addenda": list(note.addenda.select_related("author")),
            "signposted": list(
                Signposting.objects.filter(session=note.session).select_related("resource")
            ),
            "can_edit": note.editable_by(request.user),
            "can_add": note.author_id == request.user.pk
            or selectors.is_professional(request.user, clinic),
            "form": form,
        },
    )


@staff_required(*STAFF_ROLES)
def note_edit(request: HttpRequest, clinic_slug: str, note_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    note = _note_for_user(request, clinic, note_id)
    if not note.editable_by(request.user):
        messages.error(
            request,
            "This note is locked: its author can change it for 24 hours. Add an addendum instead.",
        )
        return redirect("note_detail", clinic_slug=clinic.slug, note_id=note.pk)
    signposted = Resource.objects.filter(signpostings__session=note.session)
    form = _note_form(
        request,
        clinic,
        note.session,
        initial={
            "summary": note.summary,
            "topics": list(note.topics.all()),
            "resources": list(signposted),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.note_update(
            note=note,
            by=request.user,
            topics=form.cleaned_data["topics"],
            summary=form.cleaned_data["summary"],
            resources=form.cleaned_data["resources"],
        )
        audit_record(request, Action.CHANGE, note, clinic=clinic)
        messages.success(request, "Note updated.")
        return redirect("note_detail", clinic_slug=clinic.slug, note_id=note.pk)
    audit_record(request, Action.VIEW, note, clinic=clinic)
    return render(
        request,
        "facilitation/note_form.html",
        {"clinic": clinic, "session": note.session, "form": form, "note": note},
    )


# --- Concerns -------------------------------------------------------------------------------------


@staff_required(*STAFF_ROLES)
def concern_create(request: HttpRequest, clinic_slug: str, session_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    professional = selectors.is_professional(request.user, clinic)
    # The women who came, labelled exactly as the run sheet labels them.
    women = [woman for woman in selectors.women_at_session(session) if woman.came]
    form = ConcernForm(
        request.POST or None,
        women=[(w.patient.pk, w.label_for(professional=professional)) for w in women],
    )
    if request.method == "POST" and form.is_valid():
        patient_id = form.patient_id()
        patient = next((w.patient for w in women if w.patient.pk == patient_id), None)
        concern = services.concern_raise(
            session=session,
            patient=patient,
            category=form.cleaned_data["category"],
            urgency=form.cleaned_data["urgency"],
            description=form.cleaned_data["description"],
            raised_by=request.user,
        )
        audit_record(request, Action.CREATE, concern, clinic=clinic, patient_id=patient_id)
        messages.success(
            request,
            "Concern sent. The clinic's lead has been told and will acknowledge it.",
        )
        return redirect("concern_detail", clinic_slug=clinic.slug, concern_id=concern.pk)
    # The form names each woman who came: audited as the run sheet is.
    audit_patients_viewed(
        request, clinic=clinic, shown_on=session, patient_ids=[w.patient.pk for w in women]
    )
    return render(
        request,
        "facilitation/concern_form.html",
        {"clinic": clinic, "session": session, "form": form},
    )


def _concern_for_user(request: HttpRequest, clinic: Clinic, concern_id: int):
    concerns = selectors.concerns_visible_to(request.user, clinic).select_related(
        "session__cohort",
        "session__clinic",
        "patient__user",
        "raised_by",
        "assignee",
        "acknowledged_by",
        "closed_by",
    )
    return get_object_or_404(concerns, pk=concern_id)


def _may_handle(user: User, clinic: Clinic, concern) -> bool:
    return selectors.is_coordinator(user, clinic) or (
        concern.assignee_id == user.pk and selectors.is_professional(user, clinic)
    )


@staff_required(*STAFF_ROLES)
def concern_detail(request: HttpRequest, clinic_slug: str, concern_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    concern = _concern_for_user(request, clinic, concern_id)
    professional = selectors.is_professional(request.user, clinic)
    audit_record(request, Action.VIEW, concern, clinic=clinic, patient_id=concern.patient_id)
    return render(
        request,
        "facilitation/concern_detail.html",
        {
            "clinic": clinic,
            "concern": concern,
            "about": selectors.concern_about(concern, professional=professional),
            "professional": professional,
            "can_handle": _may_handle(request.user, clinic, concern),
            "close_form": CloseConcernForm(),
        },
    )


@require_POST
@staff_required(*PROFESSIONALS)
def concern_acknowledge(request: HttpRequest, clinic_slug: str, concern_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *PROFESSIONALS)
    concern = _concern_for_user(request, clinic, concern_id)
    if not _may_handle(request.user, clinic, concern):
        raise PermissionDenied
    try:
        services.concern_acknowledge(concern=concern, by=request.user)
    except services.FacilitationError as error:
        messages.error(request, str(error))
    else:
        audit_record(request, Action.CHANGE, concern, clinic=clinic, patient_id=concern.patient_id)
        messages.success(request, "Concern acknowledged.")
    return redirect("concern_detail", clinic_slug=clinic.slug, concern_id=concern.pk)


@staff_required(*PROFESSIONALS)
def concern_close(request: HttpRequest, clinic_slug: str, concern_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *PROFESSIONALS)
    concern = _concern_for_user(request, clinic, concern_id)
    if not _may_handle(request.user, clinic, concern):
        raise PermissionDenied
    form = CloseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_close(
                concern=concern, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except services.FacilitationError as error:
            messages.error(request, str(error))
        else:
            audit_record(
                request, Action.CHANGE, concern, clinic=clinic, patient_id=concern.patient_id
            )
            messages.success(request, "Concern closed.")
        return redirect("concern_detail", clinic_slug=clinic.slug, concern_id=concern.pk)
    audit_record(request, Action.VIEW, concern, clinic=clinic, patient_id=concern.patient_id)
    return render(
        request,
        "facilitation/concern_close.html",
        {"clinic": clinic, "concern": concern, "form": form},
    )


@staff_required(*COORDINATORS)
def concern_queue(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    include_closed = request.GET.get("show") == "all"
    return render(
        request,
        "facilitation/concern_queue.html",
        {
            "clinic": clinic,
            "concerns": list(selectors.concern_queue(clinic, include_closed=include_closed)),
            "include_closed": include_closed,
        },
    )


@staff_required(*COORDINATORS)
def concern_leads(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    current = dict(ConcernLead.objects.filter(clinic=clinic).values_list("category", "lead_id"))
    form = ConcernLeadsForm(
        request.POST if request.method == "POST" else None,
        professionals=selectors.clinic_professionals(clinic),
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        for category in ConcernCategory.values:
            services.concern_lead_set(
                clinic=clinic, category=category, lead=form.cleaned_data[category]
            )
        messages.success(request, "Concern leads saved.")
        return redirect("concern_leads", clinic_slug=clinic.slug)
    return render(request, "facilitation/concern_leads.html", {"clinic": clinic, "form": form})


@staff_required(*STAFF_ROLES)
def my_concerns(request: HttpRequest) -> HttpResponse:
    """Concerns she raised, with their status: acknowledged and closed, not the outcome."""
    concerns = (
        Concern.objects.filter(raised_by=request.user, clinic__in=staff_clinics(request.user))
        .select_related("clinic", "session")
        .order_by("-raised_at")
    )
    return render(request, "facilitation/my_concerns.html", {"concerns": list(concerns)})


# --- Topics -----------------------------------------------------------------------------------


@staff_required(*COORDINATORS)
def topics(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.topic_add(clinic=clinic, name=form.cleaned_data["name"])
        messages.success(request, "Topic added.")
        return redirect("discussion_topics", clinic_slug=clinic.slug)
    return render(
        request,
        "facilitation/topics.html",
        {
            "clinic": clinic,
            "topics": list(DiscussionTopic.objects.filter(clinic=clinic).active()),
            "form": form,
        },
    )


@require_POST
@staff_required(*COORDINATORS)
def topic_retire(request: HttpRequest, clinic_slug: str, topic_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    topic = DiscussionTopic.objects.filter(clinic=clinic, pk=topic_id).first()
    if topic is None:
        raise Http404("No such topic")
    services.topic_retire(topic=topic)
    messages.success(request, f"“{topic.name}” removed from the notes form.")
    return redirect("discussion_topics", clinic_slug=clinic.slug)


# --- Debriefs and governance --------------------------------------------------------------------


@staff_required(Role.PEER_SUPPORTER)
def debrief_create(request: HttpRequest, clinic_slug: str, session_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, Role.PEER_SUPPORTER)
    session = selectors.session_for_runner(request.user, clinic, session_id)
    if not session.facilitators.filter(pk=request.user.pk).exists():
        raise Http404("You did not run this session")
    form = DebriefForm(request.POST or None, professionals=selectors.clinic_professionals(clinic))
    if request.method == "POST" and form.is_valid():
        try:
            debrief = services.debrief_log(
                session=session, peer_supporter=request.user, **form.cleaned_data
            )
        except services.FacilitationError as error:
            messages.error(request, str(error))
            return redirect("run_sheet", clinic_slug=clinic.slug, session_id=session.pk)
        audit_record(request, Action.CREATE, debrief, clinic=clinic)
        messages.success(request, "Debrief saved. The professional you named will confirm it.")
        return redirect("debrief_detail", clinic_slug=clinic.slug, debrief_id=debrief.pk)
    return render(
        request,
        "facilitation/debrief_form.html",
        {"clinic": clinic, "session": session, "form": form},
    )


def _debrief_for_user(request: HttpRequest, clinic: Clinic, debrief_id: int):
    debriefs = selectors.debriefs_visible_to(request.user, clinic).select_related(
        "session__cohort", "peer_supporter", "professional"
    )
    return get_object_or_404(debriefs, pk=debrief_id)


@staff_required(*STAFF_ROLES)
def debrief_detail(request: HttpRequest, clinic_slug: str, debrief_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug)
    debrief = _debrief_for_user(request, clinic, debrief_id)
    if request.method == "POST":
        try:
            services.debrief_confirm(debrief=debrief, by=request.user)
        except services.FacilitationError as error:
            raise PermissionDenied(str(error)) from None
        audit_record(request, Action.CHANGE, debrief, clinic=clinic)
        messages.success(request, "Debrief confirmed.")
        return redirect("debrief_detail", clinic_slug=clinic.slug, debrief_id=debrief.pk)
    audit_record(request, Action.VIEW, debrief, clinic=clinic)
    return render(
        request,
        "facilitation/debrief_detail.html",
        {
            "clinic": clinic,
            "debrief": debrief,
            "can_confirm": debrief.professional_id == request.user.pk
            and debrief.confirmed_at is None,
        },
    )


@staff_required(*PROFESSIONALS)
def debriefs_to_confirm(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "facilitation/debriefs_to_confirm.html",
        {"debriefs": list(selectors.debriefs_to_confirm(request.user))},
    )


@staff_required(*COORDINATORS)
def peer_supporters(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    return render(
        request,
        "facilitation/peer_supporters.html",
        {"clinic": clinic, "standings": selectors.peer_supporter_standing(clinic)},
    )


@staff_required(*COORDINATORS)
def peer_supporter_edit(request: HttpRequest, clinic_slug: str, user_id: int) -> HttpResponse:
    clinic = clinic_for_user(request.user, clinic_slug, *COORDINATORS)
    person = (
        User.objects.filter(
            pk=user_id, staff_roles__clinic=clinic, staff_roles__role=Role.PEER_SUPPORTER
        )
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("No such peer supporter at this clinic")
    record = PeerSupporterRecord.objects.filter(user=person).first()
    initial = (
        {
            "training_completed_on": record.training_completed_on,
            "dbs_checked_on": record.dbs_checked_on,
            "dbs_expires_on": record.dbs_expires_on,
        }
        if record
        else {}
    )
    form = PeerSupporterRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.peer_supporter_record_update(user=person, **form.cleaned_data)
        audit_record(request, Action.CHANGE, saved, clinic=clinic)
        messages.success(request, "Training and DBS dates saved.")
        return redirect("peer_supporters", clinic_slug=clinic.slug)
    return render(
        request,
        "facilitation/peer_supporter_form.html",
        {"clinic": clinic, "person": person, "form": form},
    )
