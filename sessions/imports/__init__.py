"""Importing a clinic's appointment list (CSV or a FHIR R4 Bundle) from the hospital system.

One service (`services.appointments_import`) serves the upload page, its Celery task and the
`import_appointments` management command; see docs/adr/0007-appointment-import.md.
"""
