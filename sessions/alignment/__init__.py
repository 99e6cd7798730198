"""Booking alignment: on which clinic days a cohort's members gather, and who could join them."""
