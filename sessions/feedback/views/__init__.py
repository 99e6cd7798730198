"""Feedback pages: her questionnaires from the signed link (answer.py), the co-production queue
for coordinators (coproduction.py), and "You said, we did" for members (member.py)."""
