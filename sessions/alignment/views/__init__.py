"""Booking alignment pages, one module a feature (ADR 31). Coordinators of the clinic only."""
