"""An import batch's writes on PostgreSQL: COPY into temporary tables, one upsert per table.

The service (services.py) decides row by row, exactly as before, what each valid row does: which
women are new or changed, which appointments are new or changed. This module only saves that
decision, in a fixed number of statements per batch whatever its size
(docs/adr/0043-import-through-copy.md):

- each table's rows are written with `COPY … FROM STDIN` (psycopg2 `copy_expert`, from an
  in-memory buffer) into a temporary table (made once per import, dropped at commit), then
  moved into the real table with one `WITH staged AS (DELETE … RETURNING *) INSERT … SELECT …
  ON CONFLICT … DO UPDATE … RETURNING`, which empties the temporary table for the next batch
  and gives back the ids of the rows it wrote (new records get their primary keys from it);
- the audit events for the women created or changed are one `INSERT … SELECT` over arrays.

An appointment held for another clinic or another woman is never updated by the upsert (its
`WHERE`), and any row the upsert did not write raises `DatabaseError`: the service then retries
row by row, as it does for any conflict, so the file still ends as "these rows imported, these
refused".
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import DatabaseError, connection

from groups.models import CohortMembership
from waitroom.audit import PATIENT_OBJECT_TYPE, bulk_insert_into_audit
from waitroom.models import AuditEvent

from ..models import Appointment, Patient

# (column, temporary table type) in COPY order. The types are the real tables' own, so a value
# the database will not store fails at COPY, inside the batch's savepoint.
PATIENT_STAGE = (
    ("hospital_number", "varchar(20)"),
    ("nhs_number", "varchar(10)"),
    ("given_name", "varchar(100)"),
    ("family_name", "varchar(100)"),
    ("preferred_name", "varchar(100)"),
    ("date_of_birth", "date"),
    ("mobile", "varchar(20)"),
    ("email", "varchar(254)"),
    ("preferred_language", "varchar(35)"),
    ("interpreter_needed", "boolean"),
    ("estimated_due_date", "date"),
    ("consent_sms", "boolean"),
    ("consent_email", "boolean"),
)
APPOINTMENT_STAGE = (
    ("external_id", "varchar(100)"),
    ("patient_id", "bigint"),
    ("start", "timestamptz"),
    ("duration_minutes", "smallint"),
    ("appointment_type", "varchar(100)"),
    ("status", "varchar(20)"),
)
PATIENT_TEMP = "import_patient_stage"
APPOINTMENT_TEMP = "import_appointment_stage"


@dataclass(slots=True, eq=False)
class StagedPatient:
    """A new woman's record as the COPY path stages it: the fields a batch reads and writes,
    with the model's defaults, without building a model instance (issue 14: a fifth of the
    import's time). `eq=False`: "is this the same woman" is `is`, as for model instances."""

    organisation_id: int
    hospital_number: str
    preferred_language: str = "en"
    nhs_number: str = ""
    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    date_of_birth: dt.date | None = None
    mobile: str = ""
    email: str = ""
    interpreter_needed: bool = False
    estimated_due_date: dt.date | None = None
    consent_sms: bool = False
    consent_email: bool = False
    user_id: int | None = None
    pregnancy_ended_at: dt.datetime | None = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class StagedAppointment:
    """A new appointment as the COPY path stages it (see `StagedPatient`)."""

    source: str
    external_id: str
    patient: StagedPatient | Patient
    clinic: object
    start: dt.datetime
    duration_minutes: int
    appointment_type: str
    status: str
    patient_id: int | None = None
    pk: int | None = None


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value: object) -> str:
    """One value in COPY's text format (text, the common case, first: this runs per field)."""
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def copy_lines(rows: Iterable[Sequence[object]]) -> io.StringIO:
    """The rows as a COPY text-format buffer, one line each."""
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(copy_value, row)) + "\n" for row in rows)
    buffer.seek(0)
    return buffer


def stage_tables_create() -> None:
    """The temporary tables the batches are copied into, made once per import.

    Made in the import's transaction, outside any batch's savepoint (a batch that rolls back
    must not take them with it), and dropped when it commits. One statement round trip.
    """
    statements = [
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} "
        f"({', '.join(f'{name} {kind}' for name, kind in columns)}) ON COMMIT DROP"
        for table, columns in ((PATIENT_TEMP, PATIENT_STAGE), (APPOINTMENT_TEMP, APPOINTMENT_STAGE))
    ]
    with connection.cursor() as cursor:
        cursor.execute("; ".join([*statements, f"TRUNCATE {PATIENT_TEMP}, {APPOINTMENT_TEMP}"]))


def _stage(cursor, table: str, columns: Sequence[tuple[str, str]], rows: list[tuple]) -> None:
    """COPY `rows` into the (empty) temporary table; the upsert that reads them empties it."""
    names = ", ".join(name for name, _ in columns)
    # Django wraps execute's errors in its own DatabaseError, not copy_expert's: do it here so
    # the service's retry row by row sees a value the database refuses (a NUL byte) as one.
    with connection.wrap_database_errors:
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", copy_lines(rows))


def patients_upsert(
    *,
    organisation_id: int,
    new: list[StagedPatient],
    changed: list[Patient],
    now: dt.datetime,
) -> None:
    """Insert the new women and update the changed ones; sets each new record's pk."""
    patients = [*new, *changed]
    if not patients:
        return
    names = [name for name, _ in PATIENT_STAGE]
    quote = connection.ops.quote_name
    table = quote(Patient._meta.db_table)
    updated = ", ".join(f"{quote(n)} = EXCLUDED.{quote(n)}" for n in names[1:])
    with connection.cursor() as cursor:
        _stage(
            cursor,
            PATIENT_TEMP,
            PATIENT_STAGE,
            [tuple(getattr(p, name) for name in names) for p in patients],
        )
        cursor.execute(
            f"WITH staged AS (DELETE FROM {PATIENT_TEMP} RETURNING *) "
            f"INSERT INTO {table} (organisation_id, {', '.join(map(quote, names))}, created_at) "
            f"SELECT %s, {', '.join(names)}, %s FROM staged "
            "ON CONFLICT (organisation_id, hospital_number) "
            f"DO UPDATE SET {updated} RETURNING id, hospital_number",
            [organisation_id, now],
        )
        ids = dict((number, pk) for pk, number in cursor.fetchall())
    if len(ids) != len(patients):
        raise DatabaseError("patients upsert wrote fewer rows than staged")
    for patient in new:
        patient.pk = ids[patient.hospital_number]


def appointments_upsert(
    *,
    source: str,
    clinic_id: int,
    new: list[StagedAppointment],
    changed: list[Appointment],
    now: dt.datetime,
) -> None:
    """Insert the new appointments and update the changed ones; sets each new one's pk.

    Only the appointment's own values change; one held for another clinic or another woman
    is left alone (and the batch retried row by row, which refuses that row).
    """
    appointments = [*new, *changed]
    if not appointments:
        return
    names = [name for name, _ in APPOINTMENT_STAGE]
    quote = connection.ops.quote_name
    table = quote(Appointment._meta.db_table)
    updated = ", ".join(f"{quote(n)} = EXCLUDED.{quote(n)}" for n in names[2:])
    with connection.cursor() as cursor:
        _stage(
            cursor,
            APPOINTMENT_TEMP,
            APPOINTMENT_STAGE,
            [
                (
                    a.external_id,
                    a.patient_id,
                    a.start,
                    a.duration_minutes,
                    a.appointment_type,
                    a.status,
                )
                for a in appointments
            ],
        )
        cursor.execute(
            f"WITH staged AS (DELETE FROM {APPOINTMENT_TEMP} RETURNING *) "
            f"INSERT INTO {table} (source, clinic_id, {', '.join(map(quote, names))}, updated_at) "
            f"SELECT %s, %s, {', '.join(map(quote, names))}, %s FROM staged "
            "ON CONFLICT (source, external_id) "
            f"DO UPDATE SET {updated}, updated_at = EXCLUDED.updated_at "
            f"WHERE {table}.clinic_id = EXCLUDED.clinic_id "
            f"AND {table}.patient_id = EXCLUDED.patient_id "
            "RETURNING id, external_id",
            [source, clinic_id, now],
        )
        ids = dict((external_id, pk) for pk, external_id in cursor.fetchall())
    if len(ids) != len(appointments):
        raise DatabaseError("appointments upsert wrote fewer rows than staged")
    for appointment in new:
        appointment.pk = ids[appointment.external_id]


def memberships_insert(
    *, pairs: list[tuple[int, int]], status: str, source: str, now: dt.datetime
) -> None:
    """New cohort memberships, (patient id, cohort id) each, in one INSERT, in the given order.

    No ON CONFLICT: the service has already left out the memberships she has (and her choice
    to leave stands); one that appeared since is a conflict, and the batch is retried row by row.
    """
    if not pairs:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(CohortMembership._meta.db_table)} "
            "(patient_id, cohort_id, status, source, created_at, updated_at, suspended_reason) "
            "SELECT m.patient_id, m.cohort_id, %s, %s, %s, %s, '' "
            "FROM unnest(%s::bigint[], %s::bigint[]) "
            "WITH ORDINALITY AS m(patient_id, cohort_id, n) "
            "ORDER BY m.n",
            [status, source, now, now, [p for p, _ in pairs], [c for _, c in pairs]],
        )


def patients_audit(
    *,
    at: dt.datetime,
    user_id: int | None,
    role: str,
    clinic_id: int,
    created_ids: list[int],
    changed_ids: list[int],
) -> None:
    """One audit event per woman created or changed, in one INSERT, in the given order."""
    ids = [*created_ids, *changed_ids]
    if not ids:
        return
    actions = [AuditEvent.Action.CREATE] * len(created_ids) + [AuditEvent.Action.CHANGE] * len(
        changed_ids
    )
    with connection.cursor() as cursor:
        cursor.execute(
            bulk_insert_into_audit("context")
            + "SELECT %s, %s, %s, %s, e.action, %s, e.id::text, e.id, '' "
            "FROM unnest(%s::bigint[], %s::varchar[]) WITH ORDINALITY AS e(id, action, n) "
            "ORDER BY e.n",
            [at, user_id, role, clinic_id, PATIENT_OBJECT_TYPE, ids, [str(a) for a in actions]],
        )
