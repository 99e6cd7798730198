"""Instruments (questionnaires as data), the requests that ask her, her answers, and what the
clinic does with her suggestions. See docs/adr/0039-questionnaires-and-asking.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .definitions import Definition, definition_from_dict


class Domain(models.TextChoices):
    WELLBEING = "wellbeing", "Personal wellbeing"
    HEALTH_CONFIDENCE = "health_confidence", "Health confidence"
    EXPERIENCE = "experience", "Patient experience"
    SERVICE_INTEGRATION = "service_integration", "Service integration"


class Improvement(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"


class InstrumentQuerySet(models.QuerySet["Instrument"]):
    def current(self) -> InstrumentQuerySet:
        """The newest version of each instrument (what new requests ask)."""
        newest = Instrument.objects.filter(slug=models.OuterRef("slug")).order_by("-version")
        return self.filter(pk=models.Subquery(newest.values("pk")[:1]))


class Instrument(models.Model):
    """One version of a questionnaire, loaded from a file in sessions/feedback/instruments/ by
    `load_instruments`. A changed file is a new version (a new row); answers keep theirs."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    domain = models.CharField(max_length=30, choices=Domain.choices)
    improvement = models.CharField(max_length=10, choices=Improvement.choices)
    licence = models.CharField(max_length=300)
    # A stand-in for a licensed measure whose wording is not ours to publish (the demo's).
    placeholder = models.BooleanField(default=False)
    definition = models.JSONField(help_text="The file as loaded: items, options, scoring.")
    loaded_at = models.DateTimeField(default=timezone.now)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_instrument_version"),
            models.CheckConstraint(
                condition=Q(improvement__in=Improvement.values), name="instrument_direction_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def parsed(self) -> Definition:
        cached = getattr(self, "_parsed", None)
        if cached is None:
            cached = self._parsed = definition_from_dict(self.definition)
        return cached


class FeedbackSettings(models.Model):
    """When a clinic asks. A clinic without a row uses these defaults (docs/feedback.md)."""

    clinic = models.OneToOneField(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="feedback_settings"
    )
    ask_after_sessions = models.BooleanField(
        default=True, help_text="Ask each woman who came to a session, after her appointment."
    )
    after_appointment_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="How long after her appointment (or the session) ends to ask."
    )
    after_session_instruments = models.CharField(
        max_length=300,
        default="session-experience,fft",
        help_text="Instrument slugs asked after a session, in order, separated by commas.",
    )
    ask_baseline_and_later = models.BooleanField(
        default=True,
        help_text="Ask at her first invitation and again later in pregnancy.",
    )
    later_at_weeks = models.PositiveSmallIntegerField(
        default=36, help_text="Weeks of pregnancy at which to ask the second time."
    )
    pair_instruments = models.CharField(
        max_length=300,
        default="ons4,placeholder-health-confidence,placeholder-service-integration",
        help_text="Instrument slugs asked at the first invitation and later, separated by commas.",
    )

    class Meta:
        verbose_name_plural = "feedback settings"

    def __str__(self) -> str:
        return f"Feedback settings {self.pk}"

    @staticmethod
    def slugs(text: str) -> list[str]:
        return [slug.strip() for slug in text.split(",") if slug.strip()]


class Occasion(models.TextChoices):
    AFTER_SESSION = "after_session", "After a session"
    BASELINE = "baseline", "At her first invitation"
    LATER = "later", "Later in pregnancy"


class FeedbackRequest(models.Model):
    """Asking one woman a set of questionnaires on one occasion. At most one per (woman,
    occasion); its message (kind feedback) is sent once, by the invitations sender."""

    patient = models.ForeignKey(
        "waitingroom.Patient", on_delete=models.CASCADE, related_name="feedback_requests"
    )
    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="feedback_requests"
    )
    occasion_kind = models.CharField(max_length=20, choices=Occasion.choices)
    # "session-<id>", "baseline" or "later": the key that makes a second ask impossible.
    occasion = models.CharField(max_length=40)
    session = models.ForeignKey(
        "waitingroom.WaitingRoomSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_requests",
    )
    instruments = models.ManyToManyField(Instrument, related_name="requests")
    # The order the questionnaires are asked in (slugs); `instruments` holds their versions.
    order = models.JSONField(default=list)
    message = models.OneToOneField(
        "invitations.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_request",
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "occasion"], name="one_feedback_request_per_occasion"
            ),
        ]
        indexes = [models.Index(fields=["clinic", "created_at"])]

    def __str__(self) -> str:
        return f"Feedback request {self.pk}"


class Response(models.Model):
    """Her answers to one instrument on one occasion, saved question by question."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    # Copied from the instrument so the database holds one response per (woman, instrument,
    # occasion) whatever the version.
    instrument_slug = models.SlugField(max_length=60)
    answers = models.JSONField(default=dict)  # item key -> option value
    score = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "instrument_slug"], name="one_response_per_instrument_occasion"
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class SuggestionQuestion(models.TextChoices):
    WAITING_ROOM = "waiting_room", "What would make the waiting room better for you?"
    NEXT_TOPIC = "next_topic", "What would you like to talk about next time?"


class SuggestionStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWED = "reviewed", "Reviewed"
    ACTED_ON = "acted_on", "Acted on"


class YouSaidWeDid(models.Model):
    """A change the clinic made because of what women said, shown to the clinic's members."""

    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="you_said_we_did"
    )
    you_said = models.TextField()
    we_did = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = "you said, we did entry"
        verbose_name_plural = "you said, we did entries"

    def __str__(self) -> str:
        return f"You said, we did {self.pk}"


class Suggestion(models.Model):
    """Something she wrote in answer to one of the two open questions. Staff see the words,
    never who wrote them; the link to her request is kept so deleting her data deletes it."""

    request = models.ForeignKey(
        FeedbackRequest, on_delete=models.CASCADE, related_name="suggestions"
    )
    clinic = models.ForeignKey(
        "waitroom.Clinic", on_delete=models.CASCADE, related_name="feedback_suggestions"
    )
    question = models.CharField(max_length=20, choices=SuggestionQuestion.choices)
    text = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    tags = models.JSONField(default=list, blank=True)
    response_entry = models.ForeignKey(
        YouSaidWeDid,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "question"], name="one_suggestion_per_question"
            ),
        ]
        indexes = [models.Index(fields=["clinic", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Suggestion {self.pk}"
