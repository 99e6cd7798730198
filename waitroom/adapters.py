from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: staff are added by a coordinator or an admin, and members
    get their account from their invitation link."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
