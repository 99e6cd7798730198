"""Importing an appointment list: one service for the upload page, its task and the command.

Policy (docs/adr/0007-appointment-import.md): a file that cannot be read as an appointment list
for this clinic is refused whole before anything is written. Otherwise every valid row is
imported and every invalid row is skipped and reported; each row (her patient record, the
appointment, her cohort memberships) is written whole or not at all. Rows are upserted by
(source, appointment identifier), so importing the same file again changes nothing.

The database work is batched: a batch of rows costs a fixed number of queries, whatever its
size (lookups with `__in`, then bulk_create / bulk_update).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import DatabaseError, transaction
from django.utils import timezone

from groups.models import Cohort, CohortMembership, MembershipSource, MembershipStatus
from waitroom.models import AuditEvent, Clinic, Role, User

from ..models import Appointment, Patient
from . import hooks
from .csv_format import LABELS as CSV_LABELS
from .csv_format import csv_rows, csv_scan
from .detect import FileOpener, detect_format
from .fhir_format import fhir_rows, fhir_scan
from .rows import WITHDRAWN_STATUSES, AppointmentRow, RowProblem

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# The report keeps this many problems; past it, only the count grows (a wholly wrong file of
# 50,000 rows would otherwise make a page nobody can read).
MAX_REPORTED_PROBLEMS = 500

PATIENT_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "mobile",
    "email",
    "preferred_language",
    "interpreter_needed",
    "estimated_due_date",
    "consent_sms",
    "consent_email",
)
# Once she has an account, her own contact preferences rule: an import never overrides them.
CONSENT_FIELDS = {"consent_sms", "consent_email"}
APPOINTMENT_FIELDS = ("start", "duration_minutes", "appointment_type", "status")

Progress = Callable[["ImportReport"], None]


@dataclass
class ImportReport:
    file_format: str = ""
    total_rows: int = 0
    processed_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    skipped: int = 0
    problem_count: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def add_problems(self, problems: Iterable[RowProblem]) -> None:
        for problem in problems:
            self.problem_count += 1
            if len(self.problems) < MAX_REPORTED_PROBLEMS:
                self.problems.append(problem)


def appointment_source(clinic: Clinic) -> str:
    """The `Appointment.source` of rows imported for `clinic`: its organisation's system.

    Both formats share it, so the same appointment exported as CSV one day and as FHIR the
    next is one appointment, not two.
    """
    return f"hospital:{clinic.organisation.ods_code}"


def appointments_import(
    *,
    clinic: Clinic,
    open_file: FileOpener,
    user: User | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the appointment list `open_file()` reads into `clinic`.

    `open_file` is called more than once (the file is streamed, twice). Raises `ImportRefused`,
    before writing anything, when the file is refused whole; otherwise returns the report.
    `progress` is called once the rows are counted and after each committed batch.
    """
    report = ImportReport(file_format=detect_format(open_file))
    if report.file_format == "csv":
        layout = csv_scan(open_file, clinic)
        report.total_rows = layout.total_rows
        rows = csv_rows(open_file, clinic, layout)
    else:
        scan = fhir_scan(open_file, clinic)
        report.total_rows = scan.total_rows
        report.add_problems(scan.problems)
        rows = fhir_rows(open_file, clinic, scan)
    if progress:
        progress(report)
    writer = _BatchWriter(clinic=clinic, user=user, report=report)
    # The whole file is one transaction (each batch a savepoint inside it): should anything
    # unforeseen stop the import part way, nothing of it is kept, so the outcome is always
    # "these rows imported, these refused" or "nothing imported", never in between.
    with transaction.atomic():
        for batch in _batched(rows, batch_size):
            writer.write(batch)
            report.processed_rows += len(batch)
            if progress:
                progress(report)
        transaction.on_commit(lambda: hooks.appointments_imported(clinic_id=clinic.pk), robust=True)
    return report


def _batched(rows: Iterator[AppointmentRow], size: int) -> Iterator[list[AppointmentRow]]:
    while batch := list(islice(rows, size)):
        yield batch


@dataclass
class _Outcome:
    """What one batch did; merged into the report only once the batch has committed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    skipped_rows: set[int] = field(default_factory=set)
    withdrawn_ids: list[int] = field(default_factory=list)
    rescheduled_ids: list[int] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)

    def skip(self, row: AppointmentRow, field_label: str, reason: str) -> None:
        self.problems.append(RowProblem(row.row, field_label, reason))
        self.skipped_rows.add(row.row)


@dataclass
class _Known:
    """What the database holds for a batch's rows, kept up to date as rows are staged."""

    by_hospital_number: dict[str, Patient]
    by_nhs_number: dict[str, Patient]
    appointments: dict[str, Appointment]


@dataclass
class _Staged:
    """The batch's writes, gathered row by row and saved together."""

    now: dt.datetime
    new_patients: list[Patient] = field(default_factory=list)
    changed_patients: dict[int, Patient] = field(default_factory=dict)
    new_appointments: list[Appointment] = field(default_factory=list)
    changed_appointments: list[Appointment] = field(default_factory=list)
    memberships: list[tuple[Patient, Cohort]] = field(default_factory=list)


class _BatchWriter:
    def __init__(self, *, clinic: Clinic, user: User | None, report: ImportReport) -> None:
        self.clinic = clinic
        self.user = user
        self.report = report
        self.source = appointment_source(clinic)
        self.cohorts = {cohort.slug: cohort for cohort in Cohort.objects.filter(clinics=clinic)}
        # Appointment identifier → the row that first had it: a second row with the same
        # identifier is reported rather than silently overwriting the first.
        self.first_row_for: dict[str, int] = {}

    def write(self, batch: list[AppointmentRow]) -> None:
        ready = self._ready_rows(batch)
        if ready:
            self._record(self._write_ready(ready))

    def _ready_rows(self, batch: list[AppointmentRow]) -> list[AppointmentRow]:
        """The rows with nothing wrong with them; the others are reported and counted skipped."""
        ready: list[AppointmentRow] = []
        skipped = 0
        for row in batch:
            first = self.first_row_for.setdefault(row.external_id, row.row)
            if row.external_id and first != row.row:
                row.problem(
                    self._label("external_id"),
                    f"This appointment identifier is also on row {first}",
                )
            if row.problems:
                self.report.add_problems(row.problems)
                skipped += 1
            else:
                ready.append(row)
        self.report.skipped += skipped
        return ready

    def _write_ready(self, ready: list[AppointmentRow]) -> _Outcome:
        try:
            with transaction.atomic():
                return self._write_rows(ready)
        except (DatabaseError, ValueError):
            # Another writer got in between our lookups and our writes, a conflict the lookups
            # do not foresee, or a value the database will not store (the row checks should
            # have caught it; psycopg2 raises ValueError for a NUL byte). Retry row by row so
            # one row cannot hold back the rest, and the file still ends as "these rows
            # imported, these refused", never part way.
            outcome = _Outcome()
            for row in ready:
                _merge(outcome, self._write_one(row))
            return outcome

    def _write_one(self, row: AppointmentRow) -> _Outcome:
        try:
            with transaction.atomic():
                return self._write_rows([row])
        except (DatabaseError, ValueError) as exc:
            # Only the type: database messages quote values, which may be personal.
            logger.warning("Import row refused by the database: %s", type(exc).__name__)
            single = _Outcome()
            single.skip(row, "Row", "Could not be saved: it conflicts with another record")
            return single

    def _record(self, outcome: _Outcome) -> None:
        """Add a written batch to the report, and tell the planner once it has committed."""
        self.report.created += outcome.created
        self.report.updated += outcome.updated
        self.report.unchanged += outcome.unchanged
        self.report.cancelled += outcome.cancelled
        self.report.skipped += len(outcome.skipped_rows)
        self.report.add_problems(sorted(outcome.problems, key=lambda p: p.row))
        # robust: the rows are saved; a planner that fails on them must not turn the import
        # into a failure half way through the file. It is logged, and the planner's periodic
        # run re-plans those days.
        if outcome.withdrawn_ids:
            ids = list(outcome.withdrawn_ids)
            transaction.on_commit(
                lambda: hooks.appointments_withdrawn(appointment_ids=ids), robust=True
            )
        if outcome.rescheduled_ids:
            moved = list(outcome.rescheduled_ids)
            transaction.on_commit(
                lambda: hooks.appointments_rescheduled(appointment_ids=moved), robust=True
            )
        if outcome.added_ids:
            added = list(outcome.added_ids)
            transaction.on_commit(
                lambda: hooks.appointments_added(appointment_ids=added), robust=True
            )

    def _label(self, key: str) -> str:
        if self.report.file_format == "csv":
            return {"external_id": CSV_LABELS["appointment_id"]}.get(key, CSV_LABELS.get(key, key))
        return {
            "nhs_number": "Patient.identifier (NHS number)",
            "hospital_number": "Patient.identifier",
            "external_id": "Appointment.identifier",
            "cohorts": "Cohorts",
        }[key]

    def _write_rows(self, rows: list[AppointmentRow]) -> _Outcome:
        """Write the rows in one pass, in file order: look up, check and stage each, then save."""
        outcome = _Outcome()
        known = self._look_up(rows)
        staged = _Staged(now=timezone.now())
        for row in rows:
            patient = known.by_hospital_number.get(row.patient.hospital_number)
            appointment = known.appointments.get(row.external_id)
            refusal = self._refusal(row, known, patient, appointment)
            if refusal is not None:
                outcome.skip(row, self._label(refusal[0]), refusal[1])
                continue
            patient = self._stage_patient(row, known, staged, patient)
            self._stage_appointment(row, staged, outcome, patient, appointment)
            staged.memberships.extend((patient, self.cohorts[slug]) for slug in row.cohort_slugs)
        self._save(staged, outcome)
        return outcome

    def _look_up(self, rows: list[AppointmentRow]) -> _Known:
        """The records the batch's rows name: two or three queries, whatever the batch's size.

        NHS numbers are unique within an organisation (the model's constraint), and only this
        organisation's records are looked at: another trust's are never matched, and nothing
        said about a row reveals them. One object per woman, whichever lookup found her, so
        "is this the same woman" is `is`.
        """
        organisation_id = self.clinic.organisation_id
        hospital_numbers = {row.patient.hospital_number for row in rows}
        nhs_numbers = {row.patient.nhs_number for row in rows if row.patient.nhs_number}
        by_hospital_number = {
            p.hospital_number: p
            for p in Patient.objects.filter(
                organisation_id=organisation_id, hospital_number__in=hospital_numbers
            )
        }
        by_pk = {p.pk: p for p in by_hospital_number.values()}
        by_nhs_number = (
            {
                p.nhs_number: by_pk.get(p.pk, p)
                for p in Patient.objects.filter(
                    organisation_id=organisation_id, nhs_number__in=nhs_numbers
                )
            }
            if nhs_numbers
            else {}
        )
        appointments = {
            a.external_id: a
            for a in Appointment.objects.filter(
                source=self.source, external_id__in=[row.external_id for row in rows]
            )
        }
        return _Known(by_hospital_number, by_nhs_number, appointments)

    def _refusal(
        self,
        row: AppointmentRow,
        known: _Known,
        patient: Patient | None,
        appointment: Appointment | None,
    ) -> tuple[str, str] | None:
        """Why the row must be skipped, as (field key, reason); None if it may be written.

        Everything that would refuse the row is checked before anything is changed.
        """
        nhs = row.patient.nhs_number
        holder = known.by_nhs_number.get(nhs) if nhs else None
        unknown = [slug for slug in row.cohort_slugs if slug not in self.cohorts]
        if unknown:
            names = ", ".join(f"'{s}'" for s in unknown)
            return "cohorts", f"No cohort called {names} runs at this clinic"
        if patient is not None and nhs and patient.nhs_number and patient.nhs_number != nhs:
            return (
                "nhs_number",
                "Does not match the NHS number already held for this hospital number",
            )
        if nhs and holder is not None and holder is not patient:
            return (
                "nhs_number",
                "This NHS number is already held for a woman with another hospital number",
            )
        if appointment is not None and appointment.clinic_id != self.clinic.pk:
            return "external_id", "This appointment identifier is already used by another clinic"
        if appointment is not None and (patient is None or appointment.patient_id != patient.pk):
            return (
                "hospital_number",
                "This appointment is already recorded for a different hospital number",
            )
        return None

    def _stage_patient(
        self, row: AppointmentRow, known: _Known, staged: _Staged, patient: Patient | None
    ) -> Patient:
        """Her record, new or with the file's values copied on; later rows see it."""
        fields = row.patient
        if patient is None:
            patient = Patient(
                organisation_id=self.clinic.organisation_id,
                hospital_number=fields.hospital_number,
                preferred_language="en",
            )
            _apply_patient_fields(patient, fields)
            staged.new_patients.append(patient)
            known.by_hospital_number[fields.hospital_number] = patient
        elif _apply_patient_fields(patient, fields) and patient.pk is not None:
            staged.changed_patients[patient.pk] = patient
        if fields.nhs_number:
            known.by_nhs_number[fields.nhs_number] = patient
        return patient

    def _stage_appointment(
        self,
        row: AppointmentRow,
        staged: _Staged,
        outcome: _Outcome,
        patient: Patient,
        appointment: Appointment | None,
    ) -> None:
        """A new appointment, or the file's changes to one we hold, counted in `outcome`."""
        values = {
            "start": row.start,
            "duration_minutes": row.duration_minutes,
            "appointment_type": row.appointment_type,
            "status": row.status,
        }
        if appointment is None:
            staged.new_appointments.append(
                Appointment(
                    source=self.source,
                    external_id=row.external_id,
                    patient=patient,
                    clinic=self.clinic,
                    **values,
                )
            )
            outcome.created += 1
            if row.status in WITHDRAWN_STATUSES:
                outcome.cancelled += 1
            return
        changed = {k for k, v in values.items() if getattr(appointment, k) != v}
        if not changed:
            outcome.unchanged += 1
            return
        was_withdrawn = appointment.status in WITHDRAWN_STATUSES
        for key in changed:
            setattr(appointment, key, values[key])
        appointment.updated_at = staged.now
        staged.changed_appointments.append(appointment)
        outcome.updated += 1
        if row.status in WITHDRAWN_STATUSES and not was_withdrawn:
            outcome.cancelled += 1
            outcome.withdrawn_ids.append(appointment.pk)
        elif changed & {"start", "duration_minutes", "status"} and (
            row.status not in WITHDRAWN_STATUSES
        ):
            outcome.rescheduled_ids.append(appointment.pk)

    def _save(self, staged: _Staged, outcome: _Outcome) -> None:
        """The batch's writes: a fixed number of bulk queries, whatever its size."""
        Patient.objects.bulk_create(staged.new_patients)
        if staged.changed_patients:
            Patient.objects.bulk_update(staged.changed_patients.values(), PATIENT_FIELDS)
        Appointment.objects.bulk_create(staged.new_appointments)
        outcome.added_ids = [
            a.pk for a in staged.new_appointments if a.status not in WITHDRAWN_STATUSES and a.pk
        ]
        if staged.changed_appointments:
            Appointment.objects.bulk_update(
                staged.changed_appointments, [*APPOINTMENT_FIELDS, "updated_at"]
            )
        self._join_cohorts(staged.memberships)
        self._audit(staged.new_patients, staged.changed_patients.values(), staged.now)

    def _join_cohorts(self, wanted: list[tuple[Patient, Cohort]]) -> None:
        """Add her to the cohorts the file names; an invitation becomes active.

        A woman who left a cohort, or whom staff removed, stays out: a re-import must not undo
        her choice. After a pregnancy ends she is never added to a pregnancy cohort.
        """
        if not wanted:
            return
        existing = {
            (m.patient_id, m.cohort_id): m
            for m in CohortMembership.objects.filter(
                patient_id__in={p.pk for p, _ in wanted},
                cohort_id__in={c.pk for _, c in wanted},
            )
        }
        to_create: dict[tuple[int, int], CohortMembership] = {}
        to_activate: dict[int, CohortMembership] = {}
        for patient, cohort in wanted:
            key = (patient.pk, cohort.pk)
            membership = existing.get(key)
            if membership is None:
                if key in to_create or (
                    patient.pregnancy_ended_at is not None and cohort.is_pregnancy_cohort
                ):
                    continue
                to_create[key] = CohortMembership(
                    patient=patient,
                    cohort=cohort,
                    status=MembershipStatus.ACTIVE,
                    source=MembershipSource.IMPORT,
                )
            elif membership.status == MembershipStatus.INVITED:
                membership.status = MembershipStatus.ACTIVE
                membership.updated_at = timezone.now()
                to_activate[membership.pk] = membership
        CohortMembership.objects.bulk_create(to_create.values())
        if to_activate:
            CohortMembership.objects.bulk_update(to_activate.values(), ["status", "updated_at"])

    def _audit(self, created: list[Patient], changed: Iterable[Patient], at: dt.datetime) -> None:
        """One audit event per patient record created or changed, in the batch's transaction."""
        role = Role.COORDINATOR if self.user is not None else ""
        events = [
            AuditEvent(
                at=at,
                user=self.user,
                role=role,
                clinic=self.clinic,
                action=action,
                object_type="waitingroom.patient",
                object_id=str(patient.pk),
                patient_id=patient.pk,
            )
            for action, patients in (
                (AuditEvent.Action.CREATE, created),
                (AuditEvent.Action.CHANGE, changed),
            )
            for patient in patients
        ]
        if events:
            AuditEvent.objects.bulk_create(events)


def _apply_patient_fields(patient: Patient, fields) -> bool:
    """Copy what the file gives onto her record; True if anything changed.

    A value the file leaves empty keeps what we hold: an export without a column (or a row
    without an NHS number) must not wipe what another import recorded.
    """
    changed = False
    for name in PATIENT_FIELDS:
        value = getattr(fields, name)
        if value in ("", None) or (name in CONSENT_FIELDS and patient.user_id is not None):
            continue
        if getattr(patient, name) != value:
            setattr(patient, name, value)
            changed = True
    return changed


def _merge(into: _Outcome, other: _Outcome) -> None:
    into.created += other.created
    into.updated += other.updated
    into.unchanged += other.unchanged
    into.cancelled += other.cancelled
    into.problems.extend(other.problems)
    into.skipped_rows |= other.skipped_rows
    into.withdrawn_ids.extend(other.withdrawn_ids)
    into.rescheduled_ids.extend(other.rescheduled_ids)
    into.added_ids.extend(other.added_ids)
