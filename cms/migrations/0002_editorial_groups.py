"""Create the three editorial groups with explicit permissions.

Idempotent: groups are fetched or created, permissions added, never removed, so an
administrator's later additions survive re-running migrations on a copy.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMMUNICATIONS = "Communications"
REVIEWERS = "Reviewers"
SITE_ADMINISTRATORS = "Site administrators"

PAGE_PERMISSIONS = {
    # Create and edit pages and submit them for review; publishing is the Reviewers' job.
    COMMUNICATIONS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    SITE_ADMINISTRATORS: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ],
}

MEDIA_ACTIONS = {
    COMMUNICATIONS: ["add", "change", "choose"],
    REVIEWERS: ["add", "change", "choose", "delete"],
    SITE_ADMINISTRATORS: ["add", "change", "choose", "delete"],
}
# Wagtail checks image permissions against wagtailimages.Image even with a custom image model.
MEDIA_MODELS = [("wagtailimages", "image"), ("wagtaildocs", "document")]

MODEL_PERMISSIONS = {
    COMMUNICATIONS: [
        ("wagtailadmin", "access_admin"),
        ("people", "add_person"),
        ("people", "change_person"),
        ("people", "add_specialty"),
        ("people", "change_specialty"),
    ],
    REVIEWERS: [
        ("wagtailadmin", "access_admin"),
        ("people", "add_person"),
        ("people", "change_person"),
        ("people", "publish_person"),
        ("people", "add_specialty"),
        ("people", "change_specialty"),
        ("people", "add_officerrole"),
        ("people", "change_officerrole"),
    ],
}


def ensure_permissions_exist(apps):
    """Permissions are normally made after migrations; this one needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    # Wagtail adds "publish" for draftable snippets after migrations; people need it now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(apps.get_model("people", "Person")),
        codename="publish_person",
        defaults={"name": "Can publish person"},
    )


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=permission(apps, "wagtailcore", codename),
            )
        for app_label, model in MEDIA_MODELS:
            for action in MEDIA_ACTIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=permission(apps, app_label, f"{action}_{model}"),
                )
        if name == SITE_ADMINISTRATORS:
            # Everything, including users, groups and settings, short of superuser status.
            group.permissions.add(*Permission.objects.all())
        else:
            group.permissions.add(
                *(permission(apps, app, codename) for app, codename in MODEL_PERMISSIONS[name])
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cms", "0001_initial"),
        ("people", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
