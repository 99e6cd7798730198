"""Django's admin, on a site only superusers may use, whatever `is_staff` says."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserOnlyAdminSite(admin.AdminSite):
    site_header = "Waitroom administration"
    site_title = "Waitroom admin"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser


class WaitroomAdminConfig(AdminConfig):
    default_site = "waitroom.admin_site.SuperuserOnlyAdminSite"
