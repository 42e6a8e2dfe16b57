"""On PostgreSQL, person_public_cards: the listed people in the directory's order, with
what a card shows and what a name search compares (INCLUDE), so that a search reads
this index alone (an index-only scan) rather than each listed person's row.

Other databases cannot include columns in an index and get none: without them it
would be person_public_by_name again. Not part of the model's state (Person.Meta).
"""

from django.db import migrations, models

# people.models.CARD_FIELDS beyond the key, and the stored upper-cased name.
PUBLIC_CARDS = models.Index(
    fields=["last_name", "first_name", "id"],
    include=[
        "search_name",
        "slug",
        "honorific",
        "credentials",
        "designation",
        "institution",
        "city",
        "photo",
    ],
    condition=models.Q(live=True, listed_in_directory=True),
    name="person_public_cards",
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("people", "Person"), PUBLIC_CARDS)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("people", "Person"), PUBLIC_CARDS)


class Migration(migrations.Migration):
    dependencies = [("people", "0005_person_search_name")]

    operations = [migrations.RunPython(add_index, remove_index)]
