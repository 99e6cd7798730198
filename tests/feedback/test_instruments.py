"""Instruments are data: the shipped files load, a new version is a new row, answers keep the
version they were given in, and each scoring method gives the figures worked out by hand."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sessions.feedback.definitions import InvalidInstrument, definition_from_dict
from sessions.feedback.models import Instrument, Response
from sessions.feedback.services import INSTRUMENTS_DIR, instrument_load

pytestmark = pytest.mark.django_db


def shipped(slug: str) -> dict:
    return json.loads((INSTRUMENTS_DIR / f"{slug}.json").read_text())


def test_load_instruments_loads_every_shipped_file_once():
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert set(Instrument.objects.values_list("slug", flat=True)) == {
        "ons4",
        "fft",
        "session-experience",
        "placeholder-health-confidence",
        "placeholder-service-integration",
    }
    call_command("load_instruments", stdout=out)
    assert Instrument.objects.count() == 5
    assert "already loaded" in out.getvalue()


def test_the_licensed_domains_ship_only_as_marked_placeholders():
    call_command("load_instruments", stdout=StringIO())
    placeholders = Instrument.objects.filter(placeholder=True)
    assert {i.domain for i in placeholders} == {"health_confidence", "service_integration"}
    for instrument in placeholders:
        assert instrument.title.startswith("PLACEHOLDER")
        assert all(item.text.startswith("[Placeholder") for item in instrument.parsed.items)
        assert "NOT" in instrument.licence


def test_a_new_version_is_a_new_row_and_answers_keep_theirs(instruments, came):
    her = came()
    first = Instrument.objects.get(slug="fft", version=1)
    from sessions.feedback.planner import feedback_plan_for_clinic
    from tests.feedback.conftest import AFTER_IT

    feedback_plan_for_clinic(clinic_id=her.session.clinic_id, now=AFTER_IT)
    request = her.patient.feedback_requests.get()
    Response.objects.create(request=request, instrument=first, instrument_slug="fft")

    changed = shipped("fft")
    changed["version"] = 2
    changed["items"][0]["text"] = "Overall, how was your experience of our group?"
    assert instrument_load(data=changed).created

    assert list(
        Instrument.objects.filter(slug="fft").order_by("version").values_list("version", flat=True)
    ) == [1, 2]
    assert Instrument.objects.current().get(slug="fft").version == 2
    assert Response.objects.get(request=request).instrument.version == 1


def test_the_same_version_with_other_contents_is_refused(instruments):
    changed = shipped("ons4")
    changed["items"][0]["text"] = "Something else"
    with pytest.raises(InvalidInstrument, match="new version"):
        instrument_load(data=changed)


def test_the_command_refuses_a_broken_file_and_loads_nothing(tmp_path):
    good = tmp_path / "a.json"
    good.write_text(json.dumps(shipped("fft")))
    broken = tmp_path / "b.json"
    data = shipped("session-experience")
    data["items"][0]["options"] = data["items"][0]["options"][:1]
    broken.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="at least two options"):
        call_command("load_instruments", str(good), str(broken), stdout=StringIO())
    assert not Instrument.objects.exists()


def test_ons4_scores_the_four_answers_with_anxiety_reversed_on_0_to_100():
    ons4 = definition_from_dict(shipped("ons4"))
    # satisfied 8, worthwhile 9, happy 7, anxious 2 (reversed: 8) -> 32 of 40 -> 80.
    answers = {"satisfied": "8", "worthwhile": "9", "happy": "7", "anxious": "2"}
    assert ons4.score(answers) == 80.0
    assert ons4.score({**answers, "anxious": "10"}) == 60.0
    assert ons4.score({"satisfied": "8"}) is None  # not finished: no score


def test_fft_scores_100_for_very_good_or_good_and_0_otherwise():
    fft = definition_from_dict(shipped("fft"))
    assert fft.score({"overall": "very_good"}) == 100.0
    assert fft.score({"overall": "good"}) == 100.0
    assert fft.score({"overall": "neither"}) == 0.0
    assert fft.score({"overall": "dont_know"}) == 0.0
    assert fft.score({"overall": "splendid"}) is None


def test_the_session_set_sums_its_items_onto_0_to_100():
    session = definition_from_dict(shipped("session-experience"))
    answers = {
        "welcome": "yes_a_lot",
        "useful": "yes_a_bit",
        "could_talk": "no",
        "come_again": "yes",
    }
    assert session.score(answers) == 62.5  # 2 + 1 + 0 + 2 = 5 of 8


def test_the_session_set_is_plain_english():
    """Reading age 9 or under: short sentences of short, common words (a simple proxy for the
    Flesch-Kincaid grade the team checked by hand: no sentence over 12 words, no word over
    three syllables)."""
    session = definition_from_dict(shipped("session-experience"))
    for item in session.items:
        words = item.text.rstrip("?").split()
        assert len(words) <= 12, item.text
        for word in words:
            vowels_groups = sum(
                1
                for i, ch in enumerate(word.lower())
                if ch in "aeiouy" and (i == 0 or word.lower()[i - 1] not in "aeiouy")
            )
            assert vowels_groups <= 3, word


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(improvement="up"), "improvement"),
        (lambda d: d.update(domain="mood"), "domain"),
        (lambda d: d["scoring"].update(method="median"), "scoring method"),
        (lambda d: d["scoring"].update(positive=["excellent"]), "positive"),
        (lambda d: d.update(version=0), "version"),
    ],
)
def test_a_file_the_app_could_not_ask_or_score_is_refused(change, message):
    data = shipped("fft")
    change(data)
    with pytest.raises(InvalidInstrument, match=message):
        definition_from_dict(data)
