"""The language codes Waitroom accepts for a woman's preferred language.

Hospital systems send BCP 47 tags (FHIR's `urn:ietf:bcp:47`): a primary language subtag,
ISO 639-1 (two letters) where one exists, else ISO 639-3, optionally followed by a region or
script (`en-GB`, `zh-Hant`). A value that is none of these is a typing slip or a free-text
name ("Polish"), and is reported rather than stored, so interpreters are booked for a
language that exists.
"""

from __future__ import annotations

import re

from django.utils import translation

ISO_639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
    ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
    ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu
    """.split()  # noqa: SIM905 - a table read at a glance, as ISO publishes it
)
# Languages women at UK antenatal clinics speak that have no two-letter code.
ISO_639_3_WITHOUT_639_1 = frozenset(
    {
        "bfi",  # British Sign Language
        "ckb",  # Central Kurdish (Sorani)
        "cmn",  # Mandarin
        "kmr",  # Northern Kurdish (Kurmanji)
        "pnb",  # Western Punjabi
        "prs",  # Dari
        "rom",  # Romany
        "syl",  # Sylheti
        "yue",  # Cantonese
    }
)
_TAG = re.compile(r"^([a-z]{2,3})(-[a-z0-9]{1,8})*$")


def is_known_language(code: str) -> bool:
    """True for a BCP 47 tag whose primary language Waitroom knows ('pl', 'en-gb', 'yue')."""
    match = _TAG.match(code.strip().lower())
    return bool(match) and (
        match.group(1) in ISO_639_1 or match.group(1) in ISO_639_3_WITHOUT_639_1
    )


def language_name(code: str) -> str:
    """The language's name in English ('Polish' for 'pl'), or the code when Django has none."""
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code
