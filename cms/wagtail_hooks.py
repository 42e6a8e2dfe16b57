"""Admin additions: the "Scheduled publishing" report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from .reports import (
    SCHEDULED_PUBLISHING_RESULTS_URL_NAME,
    SCHEDULED_PUBLISHING_URL_NAME,
    ScheduledPublishingReportView,
)


class ScheduledPublishingMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_admin_urls")
def register_scheduled_publishing_report_urls():
    return [
        path(
            "reports/scheduled-publishing/",
            ScheduledPublishingReportView.as_view(),
            name=SCHEDULED_PUBLISHING_URL_NAME,
        ),
        path(
            "reports/scheduled-publishing/results/",
            ScheduledPublishingReportView.as_view(results_only=True),
            name=SCHEDULED_PUBLISHING_RESULTS_URL_NAME,
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_scheduled_publishing_menu_item():
    return ScheduledPublishingMenuItem(
        _("Scheduled publishing"),
        reverse(SCHEDULED_PUBLISHING_URL_NAME),
        name="scheduled-publishing",
        icon_name="calendar-alt",
        order=750,
    )
