from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from .client_address import client_address


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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's emails, in our words (templates/account/email/): they also need the
        sign-in addresses and how long a code or link works."""
        super().send_mail(template_prefix, email, {**self._email_context(), **context})

    def _email_context(self) -> dict[str, Any]:
        request = self.request

        def absolute(name: str) -> str:
            path = reverse(name)
            return request.build_absolute_uri(path) if request else f"{settings.SITE_URL}{path}"

        return {
            "sign_in_url": absolute("account_login"),
            "request_code_url": absolute("account_request_login_code"),
            "code_minutes": account_settings.LOGIN_BY_CODE_TIMEOUT // 60,
            "reset_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        }

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same client address the audit trail records: X-Forwarded-For is believed only
        from TRUSTED_PROXIES, so nobody dodges the sign-in rate limits by forging it."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address
