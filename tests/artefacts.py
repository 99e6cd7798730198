"""Read back what the system produced, so a test follows the real artefact, never a built URL.

A journey test starts from the thing a person actually gets: the link in a message as sent (an
outbox row, a request the fake GOV.UK Notify received, a Django email), the address in the
poster's QR code, a calendar file, a CSV download. These helpers take that thing and hand back
what a person would read or tap:

- `links_in(artefact)`: every link in a message, email, fake Notify request, page or text;
- `site_path(url)`: checks a link points at this site (settings.SITE_URL) and gives the path to
  open with Django's test client;
- `qr_target(poster_response)`: the address the poster's QR code opens, decoded from its SVG by
  zxing-cpp after resvg draws it, as a phone camera would (`qr_text_in_png` for a screenshot);
- `printed_checkin(poster_response)`: the short address and code printed under the QR code;
- `rows_of(csv_response)`: a CSV download read back with the csv module, row by row;
  `records_of(csv_response)`: the same, each row a dict keyed by the header, in column order;
- `ics_events(response)`: the events of a calendar file or feed, parsed by icalendar;
- `href_of(page, text)` and `form_action_of(page, button)`: where a link or a button on a page
  goes, so a journey goes on from the page it reached rather than from a path it builds.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

import icalendar
import resvg_py
import zxingcpp
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpResponseBase
from PIL import Image

from sessions.invitations.models import Message

# Stops at whitespace, quotes and angle brackets; trailing sentence punctuation is not part of it.
_LINK = re.compile(r"(?:https?|webcal)://[^\s<>\"']+")
_TRAILING = ".,;:!?)"


def _texts(artefact: Any) -> Iterable[str]:
    if isinstance(artefact, str):
        yield artefact
    elif isinstance(artefact, Message):
        yield artefact.subject
        yield artefact.body
    elif isinstance(artefact, EmailMessage):
        yield artefact.subject
        yield artefact.body
        if isinstance(artefact, EmailMultiAlternatives):
            for content, _mimetype in artefact.alternatives:
                yield html.unescape(str(content))
    elif isinstance(artefact, HttpResponseBase):
        yield html.unescape(artefact.content.decode())
    elif isinstance(artefact, dict):
        # A request the fake Notify received ({"type", "json"}) or its JSON body.
        body = artefact.get("json", artefact)
        personalisation = body.get("personalisation", {})
        yield from (str(value) for value in personalisation.values())
    else:
        raise TypeError(f"links_in cannot read a {type(artefact).__name__}")


def links_in(artefact: Any) -> list[str]:
    """Every link in a message as sent, an email, a fake Notify request, a page, or text; in
    order, without repeats (an email's HTML part repeats the links of its text part)."""
    found: list[str] = []
    for text in _texts(artefact):
        for match in _LINK.findall(text or ""):
            link = match.rstrip(_TRAILING)
            if link not in found:
                found.append(link)
    return found


def site_path(url: str) -> str:
    """The path (and query) of a link that must point at this site, to open with the test
    client. Fails if the link points anywhere but settings.SITE_URL."""
    base = settings.SITE_URL.rstrip("/") + "/"
    assert url.startswith(base), f"{url} does not point at this site ({base})"
    return url[len(base) - 1 :]


def _poster_svg(poster_response: HttpResponseBase) -> str:
    page = poster_response.content.decode()
    match = re.search(r'<svg\b[^>]*class="waitroom-poster__qr".*?</svg>', page, re.DOTALL)
    assert match, "The poster has no inline SVG QR code"
    return match.group(0)


def qr_text_in_png(png: bytes) -> str:
    """The text of the one QR code in a PNG (a drawn poster, a browser screenshot)."""
    image = Image.open(io.BytesIO(bytes(png))).convert("L")
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(codes) == 1, f"Expected one QR code, found {len(codes)}"
    return codes[0].text


def qr_target(poster_response: HttpResponseBase) -> str:
    """The text the poster's QR code holds, read the way a phone camera reads it: the page's SVG
    drawn to pixels by resvg, then decoded by zxing-cpp."""
    assert poster_response.status_code == 200
    png = resvg_py.svg_to_bytes(
        svg_string=_poster_svg(poster_response), width=600, background="#ffffff"
    )
    return qr_text_in_png(png)


def printed_checkin(poster_response: HttpResponseBase) -> tuple[str, str]:
    """The short address printed on the poster and the code to type there."""
    page = poster_response.content.decode()
    address = re.search(r"Or go to <strong>([^<]+)</strong>", page)
    code = re.search(r'class="waitroom-poster__short-code">([^<]+)<', page)
    assert address and code, "The poster does not print a short address and code"
    return html.unescape(address.group(1)).strip(), html.unescape(code.group(1)).strip()


def rows_of(csv_response: HttpResponseBase) -> list[list[str]]:
    """A CSV download read back with the csv module: a list of rows, each a list of cells."""
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    if getattr(csv_response, "streaming", False):
        raw = b"".join(csv_response.streaming_content)
    else:
        raw = csv_response.content
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def records_of(csv_response: HttpResponseBase) -> list[dict[str, str]]:
    """A CSV download read back as one dict a row, keyed by its header row in column order."""
    header, *rows = rows_of(csv_response)
    assert all(len(row) == len(header) for row in rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def ics_events(response: HttpResponseBase) -> list[icalendar.Event]:
    """The events in a calendar file or feed, parsed by icalendar."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


class _Controls(HTMLParser):
    """Links (href, text) and forms' buttons (form action, button text) on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str]] = []
        self._href: str | None = None
        self._action: str | None = None
        self._button = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self._href, self._text = values["href"], []
        elif tag == "form":
            self._action = values.get("action") or ""
        elif tag == "button":
            self._button, self._text = True, []

    def handle_data(self, data: str) -> None:
        if self._href is not None or self._button:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag == "a" and self._href is not None:
            self.links.append((self._href, text))
            self._href = None
        elif tag == "button" and self._button:
            self.buttons.append((self._action or "", text))
            self._button = False
        elif tag == "form":
            self._action = None


def _controls(page: HttpResponseBase) -> _Controls:
    parser = _Controls()
    parser.feed(page.content.decode())
    return parser


def href_of(page: HttpResponseBase, text: str) -> str:
    """Where the one link on the page whose text is `text` goes."""
    found = [href for href, label in _controls(page).links if label == text]
    assert len(found) == 1, f"Expected one link {text!r} on the page, found {len(found)}"
    return found[0]


def form_action_of(page: HttpResponseBase, button: str) -> str:
    """Where the form holding the button whose text (visually hidden words included) starts
    with `button` posts to."""
    found = [action for action, label in _controls(page).buttons if label.startswith(button)]
    assert found, f"No button {button!r} on the page"
    assert len(set(found)) == 1, f"Buttons {button!r} post to different places: {found}"
    return found[0]
