"""On PostgreSQL, event_past_order: events newest first, undated ones last, the order of
the index's past events (events.models.EventPageQuerySet.past). Their page of 12 is
then read from the index and sorted by title only within a day (an incremental sort)
instead of sorting every past event.

SQLite cannot say NULLS LAST in an index and sorts a few events quickly: none there.
Not part of the model's state (EventPage.Meta), as people 0006.
"""

from django.db import migrations, models
from django.db.models.expressions import OrderBy

PAST_ORDER = models.Index(
    OrderBy(models.F("starts_at"), descending=True, nulls_last=True),
    name="event_past_order",
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("events", "EventPage"), PAST_ORDER)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("events", "EventPage"), PAST_ORDER)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_curated_timezones_and_checks")]

    operations = [migrations.RunPython(add_index, remove_index)]
