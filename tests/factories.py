"""factory-boy factories for every core model. Tests build their data from these."""

import datetime as dt

import factory
from django.utils import timezone

from groups.models import Cohort, CohortMembership, MembershipStatus
from resources.models import Partner, Resource
from sessions.models import (
    Appointment,
    Patient,
    SessionStatus,
    WaitingAreaPlace,
    WaitingRoomSession,
)
from waitroom.models import Clinic, Organisation, Role, StaffRole, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.nhs.uk")
    first_name = factory.Faker("first_name_female", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["ods_code"]

    name = factory.Sequence(lambda n: f"Test Hospitals NHS Trust {n}")
    ods_code = factory.Sequence(lambda n: f"R{n:03d}")


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Antenatal Clinic {n}")
    slug = factory.Sequence(lambda n: f"antenatal-{n}")
    site = "Main site"
    maternity_triage_phone = "01632 960000"
    # Fixed margins, so hand-computed overlap cases do not move with the model's defaults.
    arrive_early_minutes = 15
    wait_after_minutes = 20


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.FACILITATOR


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"cohort-{n}")
    staff_name = factory.Sequence(lambda n: f"Cohort {n}")
    public_name = factory.Sequence(lambda n: f"Tuesday group {n}")
    public_description = "A small group for women with appointments that morning."
    criterion = "Test criterion"

    @factory.post_generation
    def clinics(self, create, extracted, **kwargs):
        if create and extracted:
            self.clinics.add(*extracted)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    organisation = factory.SubFactory(OrganisationFactory)
    hospital_number = factory.Sequence(lambda n: f"H{n:07d}")
    given_name = factory.Faker("first_name_female", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(1992, 4, 1)
    mobile = "07700900123"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    estimated_due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=120))
    consent_sms = True
    consent_email = True


class CohortMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortMembership

    cohort = factory.SubFactory(CohortFactory)
    patient = factory.SubFactory(PatientFactory)
    status = MembershipStatus.ACTIVE


def _tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    source = "test"
    external_id = factory.Sequence(lambda n: f"APPT{n:06d}")
    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SubFactory(ClinicFactory)
    start = factory.LazyFunction(lambda: _tomorrow_at(10))
    duration_minutes = 20
    appointment_type = "Antenatal check"


class WaitingAreaPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaitingAreaPlace
        django_get_or_create = ["clinic", "name"]

    clinic = factory.SubFactory(ClinicFactory)
    name = "Bay 2, by the windows"


class WaitingRoomSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaitingRoomSession
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    cohort = factory.SubFactory(CohortFactory)
    start = factory.LazyFunction(lambda: _tomorrow_at(9, 45))
    end = factory.LazyAttribute(lambda s: s.start + dt.timedelta(minutes=45))
    location = "Bay 2, by the windows"
    # The clinic's place of that name, as the session form would have chosen it.
    place = factory.LazyAttribute(
        lambda s: WaitingAreaPlaceFactory(clinic=s.clinic, name=s.location)
    )
    capacity = 8
    status = SessionStatus.PUBLISHED

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.add(*extracted)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    website = "https://example.org/"


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "Helpful information."
    url = "https://example.org/help"
    kind = Resource.Kind.WEB_PAGE
    partner = factory.SubFactory(PartnerFactory)
    last_reviewed = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    next_review_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=335))
