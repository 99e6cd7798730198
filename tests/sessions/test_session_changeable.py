"""One rule for "may this session still change?": `WaitingRoomSession.is_changeable`.

The service that changes a session, the service that cancels it, the edit page and the session
page (its "Change" and "Cancel" links) must all give the same answer for every status.
"""

import pytest
from django.urls import reverse

from sessions.models import SessionStatus, WaitingRoomSession
from sessions.scheduling.services import SessionStateError, session_cancel, session_update
from tests.factories import WaitingRoomSessionFactory

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(SessionStatus)


def url(name, session):
    return reverse(name, kwargs={"clinic_slug": session.clinic.slug, "session_id": session.pk})


@pytest.fixture(params=ALL_STATUSES, ids=[s.value for s in ALL_STATUSES])
def session(request, clinic):
    return WaitingRoomSessionFactory(clinic=clinic, status=request.param)


def test_only_drafts_and_published_sessions_may_change():
    assert {s for s in SessionStatus if WaitingRoomSession(status=s).is_changeable} == {
        SessionStatus.DRAFT,
        SessionStatus.PUBLISHED,
    }


def test_the_changeable_query_finds_exactly_the_changeable_sessions(session):
    found = WaitingRoomSession.objects.changeable().filter(pk=session.pk).exists()
    assert found is session.is_changeable


def test_the_change_service_agrees_with_is_changeable(session, coordinator):
    try:
        session_update(
            session=session,
            cohort=session.cohort,
            start=session.start,
            end=session.end,
            place=session.place,
            capacity=session.capacity + 1,
            topic="Changed",
            by=coordinator,
        )
    except SessionStateError:
        refused = True
    else:
        refused = False
    session.refresh_from_db()
    assert refused is not session.is_changeable
    assert (session.topic == "Changed") is session.is_changeable


def test_the_cancel_service_agrees_with_is_changeable(session, coordinator):
    was_changeable = session.is_changeable
    try:
        session_cancel(session=session, by=coordinator)
    except SessionStateError:
        refused = True
    else:
        refused = False
    assert refused is not was_changeable


def test_the_edit_page_agrees_with_is_changeable(client, coordinator, session):
    client.force_login(coordinator)
    response = client.get(url("session_edit", session), follow=True)
    refused = "it cannot change." in response.content.decode()
    assert response.redirect_chain == (
        [] if session.is_changeable else [(url("session_detail", session), 302)]
    )
    assert refused is not session.is_changeable


def test_the_session_page_offers_change_and_cancel_only_when_changeable(
    client, coordinator, session
):
    client.force_login(coordinator)
    body = client.get(url("session_detail", session)).content.decode()
    assert (f'href="{url("session_edit", session)}"' in body) is session.is_changeable
    assert (f'href="{url("session_cancel", session)}"' in body) is session.is_changeable
