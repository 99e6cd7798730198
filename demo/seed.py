"""`demo_seed`: the whole demo, built app by app in dependency order."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from groups.models import CohortMembership
from resources.models import Resource
from sessions.models import Appointment, Patient
from sessions.models import WaitingRoomSession as Session
from waitroom.models import Clinic, service_today

from .accounts import seed_clinic, seed_users
from .alignment import seed_appointment_types
from .appointments import seed_appointments
from .cohorts import seed_cohorts, seed_memberships
from .feedback import seed_feedback
from .invitations import plan_demo_invitations
from .library import seed_clinic_partner, seed_resources
from .measures import seed_measures_history
from .patients import seed_patients
from .peer_supporters import seed_peer_supporter_checks
from .spec import APPOINTMENT_SOURCE, SEED, SIGN_INS, DemoSignIn
from .waiting_room_sessions import seed_sessions


@dataclass
class DemoResult:
    sign_ins: list[DemoSignIn]
    clinic: Clinic
    counts: dict[str, int]


def demo_seed(*, today: dt.date | None = None) -> DemoResult:
    """Create or bring up to date the whole demo; returns the sign-ins to print."""
    today = today or service_today()
    rng = random.Random(SEED)
    with transaction.atomic():
        organisation, clinic = seed_clinic()
        users = seed_users(clinic)
        seed_peer_supporter_checks(users["peer supporter"], today=today)
        cohorts = seed_cohorts(clinic)
        patients = seed_patients(organisation, users["member"], today=today, rng=rng)
        member_patient = patients[0]
        in_cohort = seed_memberships(cohorts, patients, member_patient, rng=rng)
        appointments = seed_appointments(clinic, patients, in_cohort, today=today, rng=rng)
        seed_sessions(clinic, cohorts, appointments, in_cohort, users, member_patient, today=today)
        seed_resources(cohorts, owner=users["coordinator"], today=today)
        seed_feedback(clinic, patients, member_patient, rng=rng)
        seed_clinic_partner(
            clinic, cohorts, member_patient=member_patient, volunteer=users["peer supporter"]
        )
        seed_appointment_types(clinic, users["coordinator"])
        history = seed_measures_history(
            clinic, cohorts, patients, users, today=today, rng=random.Random(SEED + 1)
        )
    plan_demo_invitations(clinic)
    counts = {
        "patients": Patient.objects.filter(organisation=organisation).count(),
        "appointments": Appointment.objects.filter(source=APPOINTMENT_SOURCE).count(),
        "cohorts": len(cohorts),
        "memberships": CohortMembership.objects.filter(cohort__in=cohorts.values()).count(),
        "sessions": Session.objects.filter(clinic=clinic).count(),
        "resources": Resource.objects.count(),
        "past sessions for the measures": history,
    }
    return DemoResult(sign_ins=list(SIGN_INS), clinic=clinic, counts=counts)
