"""The run sheet's audit trail: every woman shown is recorded, but a page left open (and its
poller) does not write her again and again (issue 14, ADR 0034)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.facilitation.services import attendance_check_in
from waitroom.models import AuditEvent

pytestmark = pytest.mark.django_db

WINDOW = dt.timedelta(seconds=settings.AUDIT_REPEAT_VIEW_WINDOW_SECONDS)


def run_url(session):
    return reverse("run_sheet", args=[session.clinic.slug, session.pk])


def women_url(session):
    return reverse("run_sheet_women", args=[session.clinic.slug, session.pk])


def women_audited(user=None):
    events = AuditEvent.objects.filter(action="view", object_type="waitingroom.patient")
    if user is not None:
        events = events.filter(user=user)
    return sorted(events.values_list("patient_id", flat=True))


def session_events():
    return AuditEvent.objects.filter(action="view", object_type="waitingroom.waitingroomsession")


def audit_inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "waitroom_auditevent"')]


def pass_time(by: dt.timedelta) -> None:
    """As if the events so far were recorded `by` earlier (the app never changes an event;
    the test moves them back in time to stand for the clock moving on)."""
    AuditEvent.objects.update(at=F("at") - by)


@pytest.fixture
def three_women(session, expect_woman):
    return [expect_woman(session) for _ in range(3)]


def test_a_first_view_records_the_session_and_each_woman_in_one_insert(
    as_persona, session, three_women, facilitator
):
    client = as_persona("facilitator")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(run_url(session)).status_code == 200
    assert len(audit_inserts(queries.captured_queries)) == 1
    assert session_events().count() == 1
    assert women_audited(facilitator) == sorted(w.pk for w in three_women)
    # Each woman's event says on which list she was shown.
    contexts = set(
        AuditEvent.objects.filter(object_type="waitingroom.patient").values_list(
            "context", flat=True
        )
    )
    assert contexts == {f"facilitation.runsheet:{session.pk}"}


def test_a_second_view_within_the_window_records_the_page_but_no_woman_again(
    as_persona, session, three_women, facilitator
):
    client = as_persona("facilitator")
    client.get(run_url(session))
    pass_time(WINDOW - dt.timedelta(minutes=1))
    client.get(run_url(session))
    assert session_events().count() == 2
    assert women_audited(facilitator) == sorted(w.pk for w in three_women)


def test_after_the_window_each_woman_is_recorded_again(
    as_persona, session, three_women, facilitator
):
    client = as_persona("facilitator")
    client.get(run_url(session))
    pass_time(WINDOW + dt.timedelta(seconds=1))
    client.get(run_url(session))
    assert women_audited(facilitator) == sorted(2 * [w.pk for w in three_women])


def test_another_user_viewing_within_the_window_is_recorded(
    as_persona, session, three_women, facilitator, peer_supporter
):
    as_persona("facilitator").get(run_url(session))
    as_persona("peer_supporter").get(run_url(session))
    assert women_audited(facilitator) == sorted(w.pk for w in three_women)
    assert women_audited(peer_supporter) == sorted(w.pk for w in three_women)


def test_a_woman_new_to_the_list_is_recorded_when_the_poller_fetches_it(
    as_persona, session, three_women, expect_woman, facilitator
):
    client = as_persona("facilitator")
    page = client.get(run_url(session)).content.decode()
    version = re.search(r'data-version="([^"]+)"', page).group(1)
    walk_in = expect_woman(session)
    attendance_check_in(session=session, patient=walk_in)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(women_url(session), {"version": version}).status_code == 200
    assert len(audit_inserts(queries.captured_queries)) == 1
    assert women_audited(facilitator) == sorted([w.pk for w in three_women] + [walk_in.pk])


def test_the_same_woman_on_another_page_is_still_recorded(
    as_persona, session, three_women, facilitator
):
    """The window is per list: having seen her on the concern form, the run sheet showing
    her is another reading."""
    for woman in three_women:
        attendance_check_in(session=session, patient=woman)
    client = as_persona("facilitator")
    client.get(reverse("concern_create", args=[session.clinic.slug, session.pk]))
    client.get(run_url(session))
    assert women_audited(facilitator) == sorted(2 * [w.pk for w in three_women])


def test_an_unchanged_poll_answers_no_content_and_writes_no_audit(as_persona, session, three_women):
    client = as_persona("facilitator")
    page = client.get(run_url(session)).content.decode()
    version = re.search(r'data-version="([^"]+)"', page).group(1)
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(women_url(session), {"version": version})
    assert response.status_code == 204 and response.content == b""
    assert AuditEvent.objects.count() == before
    assert audit_inserts(queries.captured_queries) == []


@pytest.mark.parametrize("women", [1, 8])
def test_run_sheet_view_query_count_is_pinned(
    as_persona, session, expect_woman, women, django_assert_num_queries
):
    client = as_persona("facilitator")
    for _ in range(women):
        attendance_check_in(session=session, patient=expect_woman(session))
    client.get(run_url(session))  # the first view records each woman
    # The same with 1 woman or 8: the window check is one query, the audit one INSERT.
    with django_assert_num_queries(15):
        assert client.get(run_url(session)).status_code == 200
