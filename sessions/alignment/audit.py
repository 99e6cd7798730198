"""How alignment's lists appear in the audit trail: the worklist's open items (the page, the
CSV and the printed list) are one record, "Rebooking worklist: open items"
(waitroom/audit_labels.py), and each woman shown on them has her own event naming it."""

WORKLIST_TYPE = "alignment.worklistitem"
OPEN_ITEMS = "open-items"
