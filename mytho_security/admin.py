"""The admin site: signed-in users who are not staff get a 403 page instead of a login form."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class SiteAdmin(admin.AdminSite):
    site_header = _("ANTQ movement — administration")
    site_title = _("ANTQ administration")
    index_title = _("Reference data")

    def _refuse_signed_in_outsiders(self, request) -> None:
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            self._refuse_signed_in_outsiders(request)
            response = inner(request, *args, **kwargs)
            if request.method == "POST" and response.status_code in (301, 302, 303):
                # A saved change to reference data (units, indicators, periods...) may change
                # any cached figure: make them all stale. (Imported here: this module is loaded
                # with the app registry, before any model.)
                from wards import figures

                figures.bump()
            return response

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        self._refuse_signed_in_outsiders(request)
        return super().login(request, extra_context)


def _plain_years(display_for_field):
    """Years in admin lists and read-only fields as 2015, never "2.015" (the Vietnamese
    thousands separator applies to counts, not to years)."""

    def display(value, field, empty_value_display, *args, **kwargs):
        name = getattr(field, "name", "") or ""
        if isinstance(value, int) and (name == "year" or name.endswith("_year")):
            return str(value)
        return display_for_field(value, field, empty_value_display, *args, **kwargs)

    return display


class SiteAdminConfig(AdminConfig):
    default_site = "mytho_security.admin.SiteAdmin"

    def ready(self) -> None:
        super().ready()
        # The admin offers no setting for this: wrap the one function that formats cells.
        from django.contrib.admin import helpers  # noqa: PLC0415
        from django.contrib.admin.templatetags import admin_list  # noqa: PLC0415

        admin_list.display_for_field = _plain_years(admin_list.display_for_field)
        helpers.display_for_field = _plain_years(helpers.display_for_field)
