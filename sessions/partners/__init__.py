"""Partners in the clinic day (issue 12, ADR 41): a clinic's coordinators manage its partner
organisations and their volunteers, its own resources with their review dates, and partner
meetings, outside with a place and time or in the waiting room as a session run by a partner's
volunteer. The records are `resources` models; this package sits above scheduling and
facilitation, which a meeting in the waiting room needs, and which import `resources`."""
