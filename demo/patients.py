"""The demo's women (the `sessions` app's patients): fictional, with test NHS numbers and
phone numbers and emails that reach no one."""

from __future__ import annotations

import datetime as dt
import random

from sessions.models import Patient
from sessions.nhs_number import is_valid_nhs_number
from waitroom.models import Organisation, User

from .rows import sync_rows
from .spec import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    HOSPITAL_NUMBER_PREFIX,
    LANGUAGES,
    PATIENT_COUNT,
    SIGN_INS,
)


def demo_nhs_numbers(count: int) -> list[str]:
    """Valid NHS numbers from the 999 range the NHS keeps for testing: never a real person."""
    numbers: list[str] = []
    stem = 999_100_000
    while len(numbers) < count:
        digits = str(stem)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            numbers.append(f"{digits}{check}")
            assert is_valid_nhs_number(numbers[-1])
        stem += 7
    return numbers


def seed_patients(
    organisation: Organisation, member_user: User, *, today: dt.date, rng: random.Random
) -> list[Patient]:
    nhs_numbers = demo_nhs_numbers(PATIENT_COUNT)
    older = set(rng.sample(range(1, PATIENT_COUNT), 24))
    rows = []
    for i in range(PATIENT_COUNT):
        if i == 0:
            given, family = SIGN_INS[-1].name.split(" ", 1)
        else:
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        weeks_to_due = rng.randint(6, 30)
        due = today + dt.timedelta(weeks=weeks_to_due, days=rng.randint(0, 6))
        age = rng.randint(40, 45) if i in older else rng.randint(20, 38)
        if i == 0:
            age = 34
        born = due - dt.timedelta(days=365 * age + rng.randint(30, 330))
        language, interpreter = ("en", False)
        if i and rng.random() < 0.16:
            language, interpreter = rng.choice(LANGUAGES)
        consent_sms = i == 0 or rng.random() < 0.92
        rows.append(
            {
                "organisation_id": organisation.pk,
                "hospital_number": f"{HOSPITAL_NUMBER_PREFIX}{100001 + i:06d}",
                "nhs_number": nhs_numbers[i],
                "given_name": given,
                "family_name": family,
                "preferred_name": "",
                "date_of_birth": born,
                "mobile": f"07700900{i:03d}",  # Ofcom's drama range: never a real phone
                "email": f"{given}.{family}.{i}@example.com".lower().replace("'", ""),
                "preferred_language": language,
                "interpreter_needed": interpreter,
                "estimated_due_date": due,
                "consent_sms": consent_sms,
                "consent_email": i == 0 or rng.random() < 0.6,
                "user_id": member_user.pk if i == 0 else None,
            }
        )
    by_key = sync_rows(
        Patient,
        rows,
        key=("organisation_id", "hospital_number"),
        existing=Patient.objects.filter(organisation=organisation),
    )
    return [by_key[(organisation.pk, row["hospital_number"])] for row in rows]
