"""Give each existing session a place: one per distinct location text at its clinic.

A location whose text has a lock-screen forbidden word ("Perinatal mental health corner")
becomes no place: its sessions keep the text for staff pages, the same-morning text leaves
it out, and the coordinator chooses a place when she next edits the session.
"""

from django.db import migrations


def places_from_locations(apps, schema_editor):
    from sessions.invitations.wording import lock_screen_forbidden_words

    Session = apps.get_model("waitingroom", "WaitingRoomSession")
    Place = apps.get_model("waitingroom", "WaitingAreaPlace")
    places = {(p.clinic_id, p.name.lower()): p for p in Place.objects.all()}
    for session in Session.objects.filter(place__isnull=True).exclude(location=""):
        name = " ".join(session.location.split())[:80]
        if not name or lock_screen_forbidden_words(name):
            continue
        key = (session.clinic_id, name.lower())
        if key not in places:
            places[key] = Place.objects.create(clinic_id=session.clinic_id, name=name)
        session.place = places[key]
        session.save(update_fields=["place"])


class Migration(migrations.Migration):
    dependencies = [("waitingroom", "0006_waiting_area_places")]

    operations = [migrations.RunPython(places_from_locations, migrations.RunPython.noop)]
