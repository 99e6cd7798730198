from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: staff are added by a coordinator or an admin, and members
    get their account from their invitation link."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not right. Check them and"
        " try again, or sign in with a code sent to your email.",
        "incorrect_code": "The code is not right. Check the email we sent and try again.",
        "too_many_login_attempts": "You have tried to sign in too many times. Wait 5 minutes and"
        " try again, or sign in with a code sent to your email.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
