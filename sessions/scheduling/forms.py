"""The forms a coordinator plans with: the session form and the clinic-day pickers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from groups.models import Cohort
from sessions.facilitation.services import peer_supporter_assignment_problem
from sessions.models import WaitingAreaPlace, WaitingRoomSession, place_name_problem
from waitroom.access import RUNS_SESSIONS
from waitroom.models import Clinic
from waitroom.selectors import clinic_staff_in_roles
from waitroom.widgets import NHSDateField

SESSION_LENGTHS = (30, 45, 60)
DEFAULT_SESSION_LENGTH = 45
TIME_HINT = "Use the 24-hour clock, for example 09:45"
# The days anyone plans or looks back on. Far outside them, a day's arithmetic (the next week,
# midnight in UTC) overflows Python's dates; inside them it never does.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
OUT_OF_RANGE = f"Enter a date from {FIRST_DAY.year} to {LAST_DAY.year}"


def _check_plannable(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(OUT_OF_RANGE)
    return day


class SessionLengthForm(forms.Form):
    """The length of session to suggest windows for (a GET form on the clinic-day page)."""

    minutes = forms.TypedChoiceField(
        label="Session length",
        choices=[(m, f"{m} minutes") for m in SESSION_LENGTHS],
        coerce=int,
        initial=DEFAULT_SESSION_LENGTH,
        widget=forms.RadioSelect,
    )

    def length(self) -> int:
        return self.cleaned_data["minutes"] if self.is_valid() else DEFAULT_SESSION_LENGTH


class DayPickForm(forms.Form):
    date = NHSDateField(
        label="Go to a date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date you want to see"},
    )

    def clean_date(self) -> dt.date:
        return _check_plannable(self.cleaned_data["date"])


class WaitingAreaPlaceForm(forms.Form):
    """A new place in a clinic's waiting area."""

    name = forms.CharField(
        label="Name of the place",
        max_length=80,
        help_text="As women will read it in a text message, for example 'Bay 2, by the "
        "windows'. Say where it is, not who it is for.",
        error_messages={
            "required": "Enter the name of the place",
            "max_length": "The name must be 80 characters or fewer",
        },
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        problem = place_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        if WaitingAreaPlace.objects.filter(clinic=self.clinic, name__iexact=name).exists():
            raise forms.ValidationError(
                "This clinic already has a place with that name: choose it for the session, "
                "or give this place another name"
            )
        return name


def person_name(user) -> str:
    return user.get_full_name() or user.display_name or user.email


class FacilitatorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


def _in_zone(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime | None:
    """`day` at `time` on the clinic's wall clock, or None if the clocks skip that time."""
    moment = dt.datetime.combine(day, time, tzinfo=tz)
    round_trip = moment.astimezone(dt.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def _time_field(*, label: str, required: str, invalid: str) -> forms.TimeField:
    """A time of day typed as 09:45 (or 09.45), with the words a midwife sees if it is wrong."""
    return forms.TimeField(
        label=label,
        help_text=TIME_HINT,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
        error_messages={"required": required, "invalid": invalid},
    )


class WaitingRoomSessionForm(forms.ModelForm):
    """Create or edit a session at one clinic. The clinic comes from the URL, not the form."""

    cohort = forms.ModelChoiceField(
        label="Group",
        queryset=Cohort.objects.none(),
        empty_label="Choose a group",
        error_messages={
            "required": "Choose the group this session is for",
            "invalid_choice": "Choose a group that runs at this clinic",
        },
    )
    date = NHSDateField(
        label="Date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the session"},
    )
    start_time = _time_field(
        label="Start time",
        required="Enter the time the session starts",
        invalid="Enter the start time as hours and minutes, for example 09:45",
    )
    end_time = _time_field(
        label="End time",
        required="Enter the time the session ends",
        invalid="Enter the end time as hours and minutes, for example 10:30",
    )
    facilitators = FacilitatorChoice(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Facilitators and peer supporters who work at this clinic.",
        error_messages={"invalid_choice": "Choose facilitators who work at this clinic"},
    )

    place = forms.ModelChoiceField(
        label="Where in the waiting area",
        queryset=WaitingAreaPlace.objects.none(),
        empty_label="Choose a place",
        help_text="Women are told this place in a text message on the morning of the session.",
        error_messages={
            "required": "Choose where in the waiting area the session will be",
            "invalid_choice": "Choose one of this clinic's places",
        },
    )

    class Meta:
        model = WaitingRoomSession
        fields = [
            "cohort",
            "place",
            "capacity",
            "topic",
            "facilitators",
            "partners_welcome",
            "children_welcome",
            "buggy_space",
        ]
        error_messages = {
            "capacity": {
                "required": "Enter how many women can join the session",
                "invalid": "Enter the capacity as a whole number, like 8",
                "min_value": "The session must have room for at least 1 woman",
            },
        }
        help_texts = {
            "topic": "Optional. For example, 'Feeding your twins'.",
            "capacity": "Places in all: a partner or child coming with a woman takes one too.",
            "partners_welcome": "Women can say a partner or another adult is coming with them.",
            "children_welcome": "Women can say how many children are coming with them.",
        }

    field_order = [
        "cohort",
        "date",
        "start_time",
        "end_time",
        "place",
        "capacity",
        "topic",
        "partners_welcome",
        "children_welcome",
        "buggy_space",
        "facilitators",
    ]

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.tz = clinic.zone
        self.fields["cohort"].queryset = clinic.cohorts.all()
        # The clinic's places in use, and the session's own place even if since retired.
        places = WaitingAreaPlace.objects.filter(clinic=clinic)
        current = self.instance.place_id
        self.fields["place"].queryset = (
            places.filter(Q(retired_at__isnull=True) | Q(pk=current))
            if current
            else places.in_use()
        )
        self.fields["facilitators"].queryset = clinic_staff_in_roles(clinic, RUNS_SESSIONS)
        self.fields["capacity"].widget.attrs.update(min=1, **{"class": "nhsuk-input--width-3"})
        if self.instance.pk:
            start = self.instance.start.astimezone(self.tz)
            end = self.instance.end.astimezone(self.tz)
            self.initial.update(date=start.date(), start_time=start.time(), end_time=end.time())

    def clean_date(self) -> dt.date:
        return _check_plannable(self.cleaned_data["date"])

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(
                "The session must have room for at least 1 woman", code="min_value"
            )
        return capacity

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start_time, end_time = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start_time is None or end_time is None:
            return data
        start = _in_zone(day, start_time, self.tz)
        end = _in_zone(day, end_time, self.tz)
        if start is None:
            self.add_error("start_time", "The clocks go forward at that time: choose another")
        if end is None:
            self.add_error("end_time", "The clocks go forward at that time: choose another")
        if start is None or end is None:
            return data
        if end_time <= start_time:
            self.add_error("end_time", "The end time must be after the start time")
            return data
        opens, closes = self.clinic.opens_at, self.clinic.closes_at
        if start_time < opens or end_time > closes:
            self.add_error(
                "start_time" if start_time < opens else "end_time",
                f"The session must be within the clinic's opening hours, "
                f"{opens:%H:%M} to {closes:%H:%M}",
            )
            return data
        data["start"], data["end"] = start, end
        self.instance.start, self.instance.end = start, end
        self._check_facilitators_free(start, end, data.get("facilitators") or [])
        self._check_peer_supporters_cleared(
            self.clinic.day_of(start), data.get("facilitators") or []
        )
        return data

    def _check_peer_supporters_cleared(self, day: dt.date, chosen) -> None:
        """A peer supporter runs sessions only while trained and DBS-checked (issue 6)."""
        for person in chosen:
            problem = peer_supporter_assignment_problem(person, self.clinic, day)
            if problem:
                self.add_error("facilitators", problem)

    def _check_facilitators_free(self, start: dt.datetime, end: dt.datetime, chosen) -> None:
        """Nobody runs two sessions at once (cancelled sessions do not count)."""
        if not chosen:
            return
        clashes = (
            WaitingRoomSession.objects.not_cancelled()
            .filter(facilitators__in=chosen, start__lt=end, end__gt=start)
            .exclude(pk=self.instance.pk)
            .select_related("clinic")
            .prefetch_related("facilitators")
            .distinct()
        )
        chosen_ids = {user.pk for user in chosen}
        for session in clashes:
            for person in session.facilitators.all():
                if person.pk in chosen_ids:
                    local = session.start.astimezone(self.tz)
                    self.add_error(
                        "facilitators",
                        f"{person_name(person)} is already "
                        f"running a session at {session.clinic} from {local:%H:%M} to "
                        f"{session.end.astimezone(self.tz):%H:%M} that day",
                    )
                    chosen_ids.discard(person.pk)


def session_initial_from_query(query, *, clinic: Clinic) -> dict[str, Any]:
    """Initial values from a suggestion link: ?cohort=<id>&start=<ISO>&end=<ISO>.

    Anything unreadable is ignored: the coordinator simply fills that field in herself.
    """
    tz = clinic.zone
    initial: dict[str, Any] = {}
    cohort_id = query.get("cohort", "")
    if cohort_id.isdigit():
        initial["cohort"] = int(cohort_id)
    try:
        start = dt.datetime.fromisoformat(query.get("start", ""))
        end = dt.datetime.fromisoformat(query.get("end", ""))
        # A time without an offset is read on the clinic's clock, never the server's.
        start = start.replace(tzinfo=tz) if start.tzinfo is None else start.astimezone(tz)
        end = end.replace(tzinfo=tz) if end.tzinfo is None else end.astimezone(tz)
    except (ValueError, OverflowError):  # 9999-12-31T23:59:59-23:59 is past the last datetime
        return initial
    if not FIRST_DAY <= start.date() <= LAST_DAY:
        return initial
    initial.update(date=start.date(), start_time=start.time(), end_time=end.time())
    return initial
