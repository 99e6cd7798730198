"""Django admin, on a site only superusers may use, whatever `is_staff` says."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse


class SuperuserOnlyAdminSite(admin.AdminSite):
    site_header = "Waitroom administration"
    site_title = "Waitroom admin"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def login(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponseRedirect:
        """Admins sign in on the one sign-in page, with its rate limits (Django's own admin
        login has none); nothing posted here is ever checked against a password."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(
            f"{resolve_url('account_login')}?{urlencode({'next': next_url})}"
        )


class WaitroomAdminConfig(AdminConfig):
    default_site = "waitroom.admin_site.SuperuserOnlyAdminSite"
