"""Calendar files for waiting-room sessions: one session's .ics, and each facilitator's feed."""
