"""Refine the editorial groups and put everything behind the "Editorial review" workflow.

What this does, idempotently (every row is fetched or created, so running it against a
database that already has some of it changes nothing twice):

1. Groups: grants each group its page, collection, snippet (people) and comment
   permissions, and takes away what a group must never have: Communications can never
   publish (pages or people), and only Site administrators manage users, groups, sites,
   workflows and site settings.
2. Workflow: creates "Editorial review", one group approval task for Reviewers, and
   assigns it to the root page (the whole tree) and to people (directory entries).
3. Wagtail's defaults: a fresh Wagtail database also has the groups "Editors" and
   "Moderators" and the workflow "Moderators approval" on the root page. They duplicate
   the groups above, so they are retired, but never in a way that breaks a database
   where someone already relies on them:
   - the root page moves from "Moderators approval" to "Editorial review" (a root page
     that an administrator gave some other workflow keeps it);
   - "Moderators approval" is deleted only if nothing uses it any more and it has no
     history; with history it is disabled (the history stays readable); while reviews
     are still running under it, or other pages or models still use it, it is left alone;
   - "Editors" and "Moderators" are deleted only when no user belongs to them and no
     remaining approval task names them. A "Moderators" group that still has members is
     kept and added to the approvers of "Editorial review", so its members keep the
     approving role they had; an "Editors" group with members keeps its permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

COMMUNICATIONS = "Communications"
REVIEWERS = "Reviewers"
SITE_ADMINISTRATORS = "Site administrators"

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Approval by Reviewers"
DEFAULT_WORKFLOW_NAME = "Moderators approval"
DEFAULT_GROUPS = ["Editors", "Moderators"]

PAGE_PERMISSIONS = {
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
# Page permissions a group must not hold anywhere in the tree.
FORBIDDEN_PAGE_PERMISSIONS = {
    COMMUNICATIONS: ["publish_page", "unlock_page", "bulk_delete_page"],
    REVIEWERS: ["bulk_delete_page"],
}

COLLECTION_PERMISSIONS = {
    COMMUNICATIONS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    REVIEWERS: [
        (app, f"{action}_{model}")
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in ("add", "change", "choose", "delete")
    ],
    SITE_ADMINISTRATORS: [
        (app, f"{action}_{model}")
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in ("add", "change", "choose", "delete")
    ]
    + [("wagtailcore", f"{action}_collection") for action in ("add", "change", "delete")],
}

COMMENT_PERMISSIONS = [
    ("wagtailcore", "add_comment"),
    ("wagtailcore", "change_comment"),
    ("wagtailcore", "add_commentreply"),
    ("wagtailcore", "change_commentreply"),
]

MODEL_PERMISSIONS = {
    COMMUNICATIONS: [
        ("wagtailadmin", "access_admin"),
        ("people", "add_person"),
        ("people", "change_person"),
        ("people", "lock_person"),
        ("people", "add_specialty"),
        ("people", "change_specialty"),
        *COMMENT_PERMISSIONS,
    ],
    REVIEWERS: [
        ("wagtailadmin", "access_admin"),
        ("people", "add_person"),
        ("people", "change_person"),
        ("people", "publish_person"),
        ("people", "lock_person"),
        ("people", "unlock_person"),
        ("people", "add_specialty"),
        ("people", "change_specialty"),
        ("people", "add_officerrole"),
        ("people", "change_officerrole"),
        *COMMENT_PERMISSIONS,
        ("wagtailcore", "delete_comment"),
        ("wagtailcore", "delete_commentreply"),
    ],
}

# Never for Communications or Reviewers: publishing by Communications, and the
# administration of users, groups, sites, workflows and site settings.
ADMIN_ONLY = (
    Q(content_type__app_label__in=["auth", "wagtailusers"])
    | Q(content_type__app_label="cms", content_type__model__in=["sitesettings", "sociallink"])
    | Q(
        content_type__app_label="wagtailcore",
        content_type__model__in=[
            "site",
            "workflow",
            "task",
            "groupapprovaltask",
            "workflowtask",
            "workflowpage",
            "workflowcontenttype",
            "apitoken",
        ],
    )
)
FORBIDDEN_MODEL_PERMISSIONS = {
    COMMUNICATIONS: ADMIN_ONLY
    | Q(content_type__app_label="people", codename__in=["publish_person", "unlock_person"]),
    REVIEWERS: ADMIN_ONLY,
}

# Wagtail adds these for draftable and lockable snippets after migrations; they are
# needed now.
SNIPPET_PERMISSIONS = [
    ("publish_person", "Can publish person"),
    ("lock_person", "Can lock person"),
    ("unlock_person", "Can unlock person"),
]


def ensure_permissions_exist(apps):
    """Permissions are normally made after migrations; these are needed now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    person_type = ContentType.objects.get_for_model(apps.get_model("people", "Person"))
    for codename, name in SNIPPET_PERMISSIONS:
        Permission.objects.get_or_create(
            content_type=person_type, codename=codename, defaults={"name": name}
        )


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def refine_groups(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission(apps, "wagtailcore", codename)
            )
        for app_label, codename in COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=permission(apps, app_label, codename),
            )
        if name == SITE_ADMINISTRATORS:
            # Everything, short of superuser status, including what was added since.
            group.permissions.add(*Permission.objects.all())
            continue
        group.permissions.add(
            *(permission(apps, app, codename) for app, codename in MODEL_PERMISSIONS[name])
        )
        GroupPagePermission.objects.filter(
            group=group, permission__codename__in=FORBIDDEN_PAGE_PERMISSIONS[name]
        ).delete()
        group.permissions.remove(*Permission.objects.filter(FORBIDDEN_MODEL_PERMISSIONS[name]))


def editorial_review(apps):
    """The "Editorial review" workflow and its task, Reviewers as approvers."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(Group.objects.get(name=REVIEWERS))
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    return workflow, task


def assign_workflow(apps, workflow):
    """The whole page tree (through the root page) and people go through review."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    root_page = Page.objects.get(depth=1)
    current = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
    if current is None:
        WorkflowPage.objects.create(page=root_page, workflow=workflow)
    elif current.workflow.name == DEFAULT_WORKFLOW_NAME:
        current.workflow = workflow
        current.save()
    # Otherwise an administrator chose another workflow for the root page: theirs stays.

    person_type = ContentType.objects.get_for_model(apps.get_model("people", "Person"))
    WorkflowContentType.objects.get_or_create(
        content_type=person_type, defaults={"workflow": workflow}
    )


def retire_default_workflow(apps):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    for workflow in Workflow.objects.filter(name=DEFAULT_WORKFLOW_NAME):
        if workflow.workflow_pages.exists() or workflow.workflow_content_types.exists():
            continue  # still assigned somewhere by an administrator
        states = WorkflowState.objects.filter(workflow=workflow)
        if states.filter(status__in=["in_progress", "needs_changes"]).exists():
            continue  # reviews under way finish under the workflow they started in
        tasks = [workflow_task.task for workflow_task in workflow.workflow_tasks.all()]
        if states.exists():
            workflow.active = False
            workflow.save()
        else:
            workflow.delete()
        for task in tasks:
            retire_task(apps, task)


def retire_task(apps, task):
    """A task used by no other active workflow is deleted, or disabled if it has history."""
    TaskState = apps.get_model("wagtailcore", "TaskState")
    if task.workflow_tasks.filter(workflow__active=True).exists():
        return
    if TaskState.objects.filter(task=task).exists() or task.workflow_tasks.exists():
        task.active = False
        task.save()
    else:
        task.delete()


def retire_default_groups(apps, editorial_task):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    for group in Group.objects.filter(name__in=DEFAULT_GROUPS):
        if group.user_set.exists():
            if group.name == "Moderators":
                # Its members approved everything before; they keep doing so.
                editorial_task.groups.add(group)
            continue
        named_by_active_task = (
            GroupApprovalTask.objects.filter(groups=group, active=True)
            .exclude(pk=editorial_task.pk)
            .exists()
        )
        if not named_by_active_task:
            group.delete()


def forwards(apps, schema_editor):
    ensure_permissions_exist(apps)
    refine_groups(apps)
    workflow, task = editorial_review(apps)
    assign_workflow(apps, workflow)
    retire_default_workflow(apps)
    retire_default_groups(apps, task)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_editorial_groups"),
        ("people", "0003_person_workflow_locking"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
        ("wagtailembeds", "0009_embed_cache_until"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    # Nothing to undo: groups, permissions and workflows are data an administrator
    # may since have edited.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
