"""The helpers that read back what the system produced (tests/artefacts.py) read it right."""

import pytest
import segno
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse

from tests.artefacts import (
    form_action_of,
    href_of,
    ics_events,
    links_in,
    qr_target,
    rows_of,
    site_path,
)


def test_links_in_a_text_stop_before_sentence_punctuation():
    text = "Tell us: https://a.example/invitation/abc/. Or see (http://a.example/x?y=1&z=2)."
    assert links_in(text) == ["https://a.example/invitation/abc/", "http://a.example/x?y=1&z=2"]


def test_links_in_an_email_read_both_parts_once():
    email = EmailMultiAlternatives(body="Open https://a.example/c/1/\n", to=["x@example.com"])
    email.attach_alternative('<a href="https://a.example/c/1/">Open</a>', "text/html")
    assert links_in(email) == ["https://a.example/c/1/"]


def test_links_in_a_fake_notify_request_read_its_personalisation():
    request = {"type": "sms", "json": {"personalisation": {"body": "Go: http://a.example/i/t/"}}}
    assert links_in(request) == ["http://a.example/i/t/"]


def test_site_path_refuses_a_link_to_another_address(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    assert site_path("http://127.0.0.1:8123/check-in/AB12/") == "/check-in/AB12/"
    with pytest.raises(AssertionError, match="does not point at this site"):
        site_path("http://127.0.0.1:8000/check-in/AB12/")


def test_qr_target_decodes_the_poster_s_svg():
    svg = segno.make("http://127.0.0.1:8000/check-in/RVSD26/", error="m").svg_inline(
        scale=10, border=2, svgclass="waitroom-poster__qr", omitsize=True
    )
    page = HttpResponse(f'<svg class="logo"><path d="M0 0h1"/></svg><div>{svg}</div>')
    assert qr_target(page) == "http://127.0.0.1:8000/check-in/RVSD26/"


def test_rows_of_reads_cells_with_commas_quotes_and_a_byte_order_mark():
    response = HttpResponse(
        '\ufeffname,note\r\n"Okafor, Amara","said ""hi"""\r\n'.encode(),
        content_type="text/csv; charset=utf-8",
    )
    assert rows_of(response) == [["name", "note"], ["Okafor, Amara", 'said "hi"']]


def test_ics_events_parse_a_calendar():
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@b\r\n"
        "DTSTAMP:20260101T000000Z\r\nSUMMARY:Group\r\nURL:http://a.example/s/1/\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [event] = ics_events(HttpResponse(body, content_type="text/calendar"))
    assert (str(event["summary"]), str(event["url"])) == ("Group", "http://a.example/s/1/")


def test_href_and_form_action_follow_the_page():
    page = HttpResponse(
        '<a href="/a/">Add it to your calendar</a>'
        '<form action="/answer/"><button name="answer" value="accept">Yes, I will come</button>'
        "</form>"
        '<form action="/in/"><button>Check in<span> to Group at 10:00</span></button></form>'
    )
    assert href_of(page, "Add it to your calendar") == "/a/"
    assert form_action_of(page, "Yes, I will come") == "/answer/"
    assert form_action_of(page, "Check in to Group") == "/in/"
