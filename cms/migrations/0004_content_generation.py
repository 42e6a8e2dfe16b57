"""The content generation row read by the full-page cache (cms.page_cache)."""

import uuid

from django.db import migrations, models


def create_row(apps, schema_editor):
    ContentGeneration = apps.get_model("cms", "ContentGeneration")
    ContentGeneration.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_editorial_workflow"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "content generation",
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
