"""The member's pages: everything a woman reaches from her phone (her home, her groups online,
her invitation link, the waiting-room check-in, what was signposted to her, her preferences).

Its imports run one way: it may import `groups`, `resources` and the feature packages of
`sessions` (invitations, facilitation, calendars); none of them imports it
(tests/test_import_graph.py). Only the URLconf in `waitroom/urls.py` includes its `urls.py`.
"""
