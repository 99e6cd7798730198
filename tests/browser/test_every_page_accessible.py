"""Every page, in real Chromium at phone size: no WCAG 2.2 A/AA problem (axe-core) and no
sideways scrolling at 320 px (WCAG 1.4.10 Reflow), the standard every issue shares.

The pages are the access matrix's (tests/test_access_matrix.py): every URL the project defines,
visited as each persona who gets a 200 for it, in the same world (tests/access_world.py), plus
the sign-in pages django-allauth serves through the project's templates. Each form page is
also submitted empty once, where that gives errors, because the error summary is a state of the
page a midwife will meet too.

One test per persona, one browser context per test, the pages in a loop: every failing page is
collected and the test fails once, listing them all, so one run shows the whole picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from sessions.invitations.links import invitation_token
from sessions.invitations.models import Invitation, InvitationState
from sessions.invitations.sending import UNSUBSCRIBE_SALT
from sessions.models import SessionStatus

from ..access_world import PERSONAS, World, build_world
from ..factories import UserFactory, WaitingRoomSessionFactory
from ..test_access_matrix import EXTRA_CASES, TABLE
from .axe import axe_violations, format_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
NARROW = {"width": 320, "height": 640}

# Not HTML pages, so neither axe nor reflow applies: the CSV exports, the iCalendar files and
# feed, the health check (plain text/JSON for the load balancer) and GOV.UK Notify's callbacks
# (POST-only JSON, 405 on GET, so they never appear with a 200). They are recognised by the
# response's Content-Type, not by name, so a page that turns into HTML is checked at once.
HTML = "text/html"

# The sign-in pages: library views (not in the access matrix) rendered with the project's
# templates (templates/account/, templates/allauth/), so they are ours to keep accessible.
# name → (persona, URL, whether to submit it empty too)
ALLAUTH_PAGES: dict[str, tuple[str, Callable[[], str], bool]] = {
    "account_login": ("anonymous", lambda: reverse("account_login"), True),
    "account_signup": ("anonymous", lambda: reverse("account_signup"), False),
    "account_reset_password": ("anonymous", lambda: reverse("account_reset_password"), True),
    "account_reset_password_done": (
        "anonymous",
        lambda: reverse("account_reset_password_done"),
        False,
    ),
    # A stale or mistyped link from the email: the "bad token" state of the page.
    "account_reset_password_from_key": (
        "anonymous",
        lambda: reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "1", "key": "bad-key"}
        ),
        False,
    ),
    "account_request_login_code": (
        "anonymous",
        lambda: reverse("account_request_login_code"),
        True,
    ),
    "account_reset_password_from_key_done": (
        "anonymous",
        lambda: reverse("account_reset_password_from_key_done"),
        False,
    ),
    "account_logout": ("member", lambda: reverse("account_logout"), False),
    "account_change_password": ("coordinator", lambda: reverse("account_change_password"), True),
}

# Form pages submitted empty to show their error summary, once each, as the persona who has the
# form (a peer supporter sees a note without the addendum form). Only forms that refuse an empty
# submission with errors: confirmations with nothing to fill in (cancel, leave, delete,
# unsubscribe) and forms that accept empty fields (a resource's review, a peer supporter's
# dates, the concern leads) would act, so they are visited but not submitted.
SUBMIT_EMPTY = {
    "clinic_team": "coordinator",
    "clinic_settings": "coordinator",
    "session_create": "coordinator",
    "session_edit": "coordinator",
    "waiting_area_places": "coordinator",
    "concern_close": "coordinator",
    "discussion_topics": "coordinator",
    "appointment_import": "coordinator",
    "partner_create": "coordinator",
    "clinic_resource_create": "coordinator",
    "partner_meeting_create_outside": "coordinator",
    "partner_meeting_create_in_waiting_room": "coordinator",
    "alignment_cohort_day": "coordinator",
    "alignment_types": "coordinator",
    "alignment_type_new": "coordinator",
    "alignment_type_edit": "coordinator",
    "alignment_worklist_item": "coordinator",
    "note_create": "facilitator",
    "note_detail": "facilitator",
    "moderation_post": "facilitator",
    "concern_create": "peer_supporter",
    "debrief_create": "peer_supporter",
    "group_detail": "member",
    "thread_detail": "member",
    "post_edit": "member",
    "post_report": "member",
    "group_request": "member",
    "checkin_start": "anonymous",
}

# The same, for _other_states's pages.
SUBMIT_EMPTY_ALSO = {"invitation_account (a woman without an account)"}

# The run sheet's poller fetches this fragment (no <html>, <title> or CSS) and swaps it into the
# run sheet, which is checked whole: on its own it is not a page anyone is shown.
FRAGMENTS = {"run_sheet_women"}


def _other_states(world: World) -> dict[str, list[tuple[str, str, int]]]:
    """Pages in states the access world does not reach (a page shown with an error status, a
    woman without an account, the member's next session), and pages she meets when she may not
    go further or follows a stale link: error pages are pages too.
    persona → [(label, URL, the status the page comes with)]"""
    # The member is invited to a session, so her home lists it.
    Invitation.objects.create(
        session=world.session,
        patient=world.member_patient,
        appointment=world.member_patient.appointments.first(),
        state=InvitationState.SENT,
    )
    cancelled = WaitingRoomSessionFactory(
        clinic=world.clinic, cohort=world.cohort, status=SessionStatus.CANCELLED
    )
    to_cancelled = Invitation.objects.create(
        session=cancelled,
        patient=world.woman_b,
        appointment=world.woman_b.appointments.first(),
        state=InvitationState.SENT,
    )
    woman_b_link = invitation_token(world.woman_b.invitations.get(session=world.session))
    # A session welcoming families: her invitation asks who is coming with her (issue 12).
    families = WaitingRoomSessionFactory(
        clinic=world.clinic,
        cohort=world.cohort,
        partners_welcome=True,
        children_welcome=True,
        buggy_space=True,
    )
    to_families = Invitation.objects.create(
        session=families,
        patient=world.woman_b,
        appointment=world.woman_b.appointments.first(),
        state=InvitationState.SENT,
    )
    return {
        "coordinator": [
            (
                "clinic_day_pick (a date that does not exist)",
                reverse("clinic_day_pick", kwargs={"clinic_slug": world.clinic.slug})
                + "?date-day=31&date-month=2&date-year=2030",
                400,
            ),
            (
                "session_detail (a draft: who publishing would invite)",
                reverse(
                    "session_detail",
                    kwargs={"clinic_slug": world.clinic.slug, "session_id": world.draft_session.pk},
                ),
                200,
            ),
            (
                "staff_role_remove (her own coordinator role: refused)",
                reverse(
                    "staff_role_remove",
                    kwargs={
                        "clinic_slug": world.clinic.slug,
                        "role_id": world.users["coordinator"]
                        .staff_roles.get(clinic=world.clinic)
                        .pk,
                    },
                ),
                200,
            ),
        ],
        "member": [
            ("a staff page she may not open", reverse("coordinator_home"), 403),
            ("a page that does not exist", "/no-such-page/", 404),
        ],
        "anonymous": [
            (
                "invitation_account (a woman without an account)",
                reverse("invitation_account", kwargs={"token": woman_b_link}),
                200,
            ),
            (
                "invitation_page (who is coming with her)",
                reverse("invitation_page", kwargs={"token": invitation_token(to_families)}),
                200,
            ),
            (
                "invitation_page (a cancelled session)",
                reverse("invitation_page", kwargs={"token": invitation_token(to_cancelled)}),
                410,
            ),
            (
                "invitation_page (a mistyped link)",
                reverse("invitation_page", kwargs={"token": woman_b_link[:-2] + "xx"}),
                404,
            ),
            (
                "message_unsubscribe (a link from before links expired)",
                reverse(
                    "message_unsubscribe",
                    kwargs={
                        "token": signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
                            {"p": world.woman_b.pk}
                        )
                    },
                ),
                410,
            ),
        ],
        # Signed in, but neither staff nor linked to a pregnancy record.
        "no_role": [("home without a role", reverse("home"), 403)],
    }


@dataclass
class Visit:
    label: str
    url: str
    submit_empty: bool = False
    status: int = 200
    # Steps from the page visited to the state to check (a page only a form leads to).
    then: Callable | None = None


def _ask_for_a_sign_in_code(page) -> None:
    page.locator("main input[name=email]").fill("coord@example.nhs.uk")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**" + reverse("account_confirm_login_code"))


def _pages_for(world: World, persona: str, others: dict) -> list[Visit]:
    visits = []
    for name, entry in TABLE.items():
        if entry.get.get(persona) == 200 and name not in FRAGMENTS:
            url = reverse(name, kwargs=entry.kwargs(world)) + entry.query(world)
            visits.append(Visit(name, url, SUBMIT_EMPTY.get(name) == persona))
    for label, name, kwargs, case_persona, expected in EXTRA_CASES:
        if case_persona == persona and expected == 200:
            visits.append(Visit(f"{name} ({label})", reverse(name, kwargs=kwargs(world))))
    for name, (page_persona, url, submit) in ALLAUTH_PAGES.items():
        if page_persona == persona:
            visits.append(Visit(name, url(), submit))
    if persona == "anonymous":
        visits.append(
            Visit(
                "account_confirm_login_code",
                reverse("account_request_login_code"),
                submit_empty=True,
                then=_ask_for_a_sign_in_code,
            )
        )
    for label, url, status in others.get(persona, []):
        visits.append(Visit(label, url, submit_empty=label in SUBMIT_EMPTY_ALSO, status=status))
    return visits


def _sign_in_by_cookie(context, live_server, user) -> None:
    """A real Django session for her, put straight into the browser: far faster than typing a
    password on every persona's run, and the sign-in form has its own tests."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _problems_here(page) -> list[str]:
    """axe's WCAG 2.2 A/AA violations and repeated ids at 375 px, then sideways scrolling at
    320 px."""
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(format_violations(violations))
    # axe 4.x no longer reports duplicate ids (WCAG 2.2 dropped 4.1.1 Parsing), but a repeated
    # id still ties a label, an error message or a skip link to the wrong element.
    repeated = page.evaluate(
        """() => {
            const seen = new Map();
            for (const el of document.querySelectorAll("[id]")) {
                seen.set(el.id, (seen.get(el.id) || 0) + 1);
            }
            return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
        }"""
    )
    if repeated:
        problems.append(f"- ids used more than once: {', '.join(repeated)}")
    page.set_viewport_size(NARROW)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROW["width"]:
        problems.append(f"- scrolls sideways at 320 px: the page is {width} px wide")
    page.set_viewport_size(PHONE)
    return problems


def _submit_empty(page) -> str | None:
    """Clear the main form's fields and submit it; None when it shows its error summary, or
    why it could not be checked."""
    form = page.locator("main form").filter(
        has=page.locator("input:not([type=hidden]), textarea, select")
    )
    if form.count() == 0:
        return "- no form with fields to submit"
    form = form.first
    fields = form.locator(
        "input[type=text], input[type=email], input[type=tel], input[type=number],"
        " input[type=password], input[type=date], input[type=time], input:not([type]), textarea"
    )
    for i in range(fields.count()):
        field = fields.nth(i)
        if field.is_visible() and field.is_editable():
            field.fill("")
    # The browser's own validation would stop the empty form: the project relies on the
    # server's messages (the forms say novalidate), but make sure the server is what answers.
    form.evaluate("f => f.setAttribute('novalidate', '')")
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    if page.locator(".nhsuk-error-summary").count() == 0:
        return f"- submitting it empty showed no error summary (now at {page.url})"
    return None


def _check(page, visit: Visit) -> list[str]:
    """The page's problems, as lines to report (empty when it passes)."""
    # Asked first without the page: navigating to a file would start a download instead.
    head = page.context.request.get(visit.url, max_redirects=0)
    if head.status != visit.status:
        return [f"- GET gave {head.status}, not {visit.status}"]
    if not head.headers.get("content-type", "").lower().startswith(HTML):
        return []  # a file or feed, not a page: see HTML above
    page.goto(visit.url)
    if visit.then:
        visit.then(page)
    problems = _problems_here(page)
    if visit.submit_empty:
        why_not = _submit_empty(page)
        if why_not:
            problems.append(why_not)
        elif after := _problems_here(page):
            problems.append("- once submitted empty, showing its errors:\n" + "\n".join(after))
    return problems


def _check_pages(page, visits: list[Visit]) -> list[str]:
    failures = []
    for visit in visits:
        try:
            problems = _check(page, visit)
        except PlaywrightError as exc:  # a timeout or a lost page: report it, check the rest
            problems = [f"- the browser failed: {str(exc).splitlines()[0]}"]
        if problems:
            failures.append(f"{visit.label} {visit.url}:\n" + "\n".join(problems))
    return failures


@pytest.mark.parametrize("persona", [*PERSONAS, "no_role"])
def test_every_page_she_may_open_passes_axe_at_phone_size_and_reflows_at_320px(
    phone_page, live_server, persona
):
    # Built inside the test: browser tests use transactional_db, which empties the tables
    # after each test, so a module-wide world would not survive (nor be visible to the server).
    world = build_world()
    if persona == "no_role":
        _sign_in_by_cookie(phone_page.context, live_server, UserFactory())
    elif persona != "anonymous":
        _sign_in_by_cookie(phone_page.context, live_server, world.users[persona])
    visits = _pages_for(world, persona, _other_states(world))
    assert visits, f"no page for {persona}"

    failures = _check_pages(phone_page, visits)

    assert not failures, (
        f"{len(failures)} of {len(visits)} pages for {persona} fail:\n\n" + "\n\n".join(failures)
    )
