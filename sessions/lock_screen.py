"""What must never show on a woman's lock screen: the words that would tell a reader why she was
invited. Invitation wording (sessions/invitations/wording.py) and the names of waiting-area
places (which the same-morning text carries) are both checked against this one list."""

from __future__ import annotations

import re

# Words that would tell a reader of her lock screen why she was invited.
LOCK_SCREEN_FORBIDDEN_WORDS = (
    "cohort",
    "bmi",
    "weight",
    "obese",
    "obesity",
    "twin",
    "twins",
    "multiples",
    "older",
    "age",
    "fertility",
    "ivf",
    "icsi",
    "iui",
    "conception",
    "assisted",
    "mental",
    "anxiety",
    "depression",
    "perinatal",
    "diabetes",
    "diabetic",
    "loss",
    "miscarriage",
    "bereavement",
    "condition",
    "risk",
    "high-risk",
    "consultant",
    "wellbeing",
    "calm",
)
_FORBIDDEN = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in LOCK_SCREEN_FORBIDDEN_WORDS) + r")\b",
    re.IGNORECASE,
)


def lock_screen_forbidden_words(text: str) -> list[str]:
    """The words in `text` that must never show on a lock screen, lower-cased, in order."""
    return list(dict.fromkeys(match.group(0).lower() for match in _FORBIDDEN.finditer(text)))
