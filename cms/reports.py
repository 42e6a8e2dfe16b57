"""Admin report: pages scheduled to go live or to expire.

"Goes live" is the date of an approved, scheduled revision (Wagtail publishes it when the
scheduler runs after that time); "Expires" is the expiry date of a page that is live or
scheduled. Each user sees the pages they may edit or publish.
"""

import datetime

from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Revision

SCHEDULED_PUBLISHING_URL_NAME = "scheduled_publishing_report"
SCHEDULED_PUBLISHING_RESULTS_URL_NAME = "scheduled_publishing_report_results"


def approved_go_live_at():
    """The go-live date of the page's approved, scheduled revision, if any."""
    revisions = Revision.page_revisions.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        approved_go_live_at__isnull=False,
    ).order_by("approved_go_live_at")
    return Subquery(revisions.values("approved_go_live_at")[:1])


def local_time(attribute):
    """A column accessor: the date and time in the site's time zone, not "in 2 days"."""

    def accessor(page):
        value = getattr(page, attribute)
        if value is None:
            return ""
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")

    return accessor


class ScheduledPublishingReportView(PageReportView):
    page_title = _("Scheduled publishing")
    header_icon = "calendar-alt"
    index_url_name = SCHEDULED_PUBLISHING_URL_NAME
    index_results_url_name = SCHEDULED_PUBLISHING_RESULTS_URL_NAME
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    any_permission_required = ["add", "change", "publish"]
    no_results_message = _("No page is scheduled to go live or to expire.")
    columns = [
        TitleColumn("title", label=_("Page"), url_name="wagtailadmin_pages:edit"),
        Column(
            "scheduled_go_live_at",
            label=_("Goes live"),
            accessor=local_time("scheduled_go_live_at"),
        ),
        Column("expire_at", label=_("Expires"), accessor=local_time("expire_at")),
        Column("status_string", label=_("Status")),
    ]
    list_export = ["title", "scheduled_go_live_at", "expire_at", "status_string"]
    export_headings = {
        "title": _("Page"),
        "scheduled_go_live_at": _("Goes live"),
        "expire_at": _("Expires"),
        "status_string": _("Status"),
    }

    def get_filename(self):
        return f"scheduled-publishing-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        pages = (
            self.permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["add", "change", "publish"]
            )
            .annotate(scheduled_go_live_at=approved_go_live_at())
            .filter(Q(scheduled_go_live_at__isnull=False) | Q(live=True, expire_at__isnull=False))
            .annotate_approved_schedule()
            .order_by(
                F("scheduled_go_live_at").asc(nulls_last=True),
                F("expire_at").asc(nulls_last=True),
                "title",
            )
        )
        self.queryset = pages
        return super().get_queryset()
