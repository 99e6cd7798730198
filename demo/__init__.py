"""The demo data behind `manage.py seed_demo` and `sample_appointments`: one clinic, three
weeks of lists, five cohorts.

Idempotent by construction. Every row is keyed on a natural key (ODS code, clinic slug, cohort
slug, hospital number, appointment source + external id, email, partner name, resource title),
every choice comes from a `random.Random` with a fixed seed, and every date is relative to
`today`: running it twice on the same day changes nothing, and running it on a later day moves
the demo forward (future demo appointments and sessions that no longer fit are removed; past
ones stay as history).

The passwords printed are for the demo only; `seed_demo` refuses to run with DEBUG off.

The package depends downwards only: it imports the apps it fills (waitroom, groups, sessions and
its sub-apps, resources) and no app imports it. One module per app's part of the demo; `seed.py`
calls them in dependency order, `spec.py` holds the data they share, `samples.py` writes the
sample appointment lists.
"""
