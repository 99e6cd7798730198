"""The member's pages, one module a family of pages (ADR 31): her home and preferences
(`home`), her groups online (`groups`), her invitation link (`invitation`), the poster check-in
(`checkin`). Access: `member_required`, or the signed invitation link for the link's pages;
every read starts from her own record (groups/members/selectors.py)."""
