"""Planning a clinic day: who is in the waiting room when, and the sessions put there."""
