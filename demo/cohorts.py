"""The demo's part of the `groups` app: its five cohorts and who is in each."""

from __future__ import annotations

import random
from collections import defaultdict

from groups.models import Cohort, CohortMembership, MembershipSource, MembershipStatus
from sessions.models import Patient
from waitroom.models import Clinic

from .rows import remove_stale, sync_rows
from .spec import COHORTS, MEMBER_COHORTS


def seed_cohorts(clinic: Clinic) -> dict[str, Cohort]:
    cohorts = {}
    for spec in COHORTS:
        fields = {k: spec[k] for k in ("staff_name", "public_name", "public_description")}
        cohort, _ = Cohort.objects.update_or_create(
            slug=spec["slug"], defaults={**fields, "criterion": spec["criterion"]}
        )
        cohort.clinics.add(clinic)
        cohorts[spec["slug"]] = cohort
    return cohorts


def seed_memberships(
    cohorts: dict[str, Cohort],
    patients: list[Patient],
    member_patient: Patient,
    *,
    rng: random.Random,
) -> dict[str, set[int]]:
    """Who is in which cohort; returns patient ids per cohort slug (current members only)."""
    today_age = {p.pk: (p.estimated_due_date - p.date_of_birth).days // 365 for p in patients}
    others = [p for p in patients if p.pk != member_patient.pk]
    older = [p for p in others if today_age[p.pk] >= 40]
    picks: dict[str, list[Patient]] = {}
    for spec in COHORTS:
        slug, size = spec["slug"], spec["size"]
        if slug == "older-mothers":
            chosen = older[:size]
        elif slug == "after-fertility-treatment":
            # Assisted conception is commoner later in life, so half come from the older women.
            half = rng.sample(older, min(len(older), size // 2))
            rest = [p for p in others if p not in half]
            chosen = half + rng.sample(rest, size - len(half))
        else:
            chosen = rng.sample(others, size)
        if slug in MEMBER_COHORTS:
            chosen = [member_patient, *chosen[: size - 1]]
        picks[slug] = chosen
    rows, current = [], defaultdict(set)
    for slug, chosen in picks.items():
        for patient in chosen:
            roll = rng.random()
            if patient.pk == member_patient.pk or roll < 0.78:
                status = MembershipStatus.ACTIVE
            elif roll < 0.94:
                status = MembershipStatus.INVITED
            else:
                status = MembershipStatus.LEFT
            source = (
                MembershipSource.IMPORT
                if slug in {"bmi-over-30", "older-mothers", "twins-or-multiples"}
                else rng.choice([MembershipSource.REFERRAL, MembershipSource.SELF])
            )
            rows.append(
                {
                    "cohort_id": cohorts[slug].pk,
                    "patient_id": patient.pk,
                    "status": status,
                    "source": source,
                }
            )
            if status != MembershipStatus.LEFT:
                current[slug].add(patient.pk)
    existing = CohortMembership.objects.filter(cohort__in=cohorts.values())
    kept = sync_rows(CohortMembership, rows, key=("cohort_id", "patient_id"), existing=existing)
    remove_stale(
        existing.exclude(pk__in=[m.pk for m in kept.values()]), status=MembershipStatus.REMOVED
    )
    return dict(current)
