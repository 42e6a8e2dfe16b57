"""The events index's feeds: RSS of upcoming events and an iCalendar subscription.

Both list only live, public events that have not yet ended, soonest first, and
never more than FEED_SIZE of them, so a feed stays small on a slow connection.
"""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from cms.models import SiteSettings

from . import calendar

FEED_SIZE = 50


def upcoming_events(index):
    """The index's live, public events that have not ended, soonest first."""
    return list(index.events().upcoming()[:FEED_SIZE])


def _site_name(request):
    return SiteSettings.for_request(request).short_name


class UpcomingEventsFeed(Feed):
    """RSS 2.0 of an events index's upcoming events. Call with `index=<EventIndexPage>`."""

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, index):
        return index

    def title(self, index):
        return _("%(site)s: upcoming events") % {"site": _site_name(self.request)}

    def link(self, index):
        return index.get_full_url(self.request)

    def feed_url(self, index):
        return index.get_full_url(self.request) + index.reverse_subpage("feed")

    def description(self, index):
        return index.search_description or index.listing_summary or index.title

    def items(self, index):
        return upcoming_events(index)

    def item_title(self, event):
        return event.title

    def item_link(self, event):
        return event.get_full_url(self.request)

    def item_guid(self, event):
        return calendar.event_uid(event, self.request)

    item_guid_is_permalink = False

    def item_description(self, event):
        place = event.place_label
        parts = [event.date_label, place, event.summary]
        return "\n".join(part for part in parts if part)

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.last_published_at

    def item_categories(self, event):
        return [str(event.get_category_display())]


def upcoming_calendar(index, request):
    """The index's upcoming, dated events as an iCalendar subscription."""
    name = _("%(site)s events") % {"site": _site_name(request)}
    return calendar.calendar(upcoming_events(index), request, name=name)


def rss_response(index, request):
    return UpcomingEventsFeed()(request, index=index)


def calendar_feed_response(index, request):
    cal = upcoming_calendar(index, request)
    return calendar.ics_response(cal, f"{index.slug}-upcoming", attachment=False)
