"""The data migration that retires Wagtail's default groups and workflow, on databases
that already use them in different ways. Its steps run here against the current models.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from people.models import Person

migration = importlib.import_module("cms.migrations.0003_editorial_workflow")


def editorial_review():
    return Workflow.objects.get(name="Editorial review")


def wagtail_defaults(moderator=None, editor=None):
    """What a fresh Wagtail database has: two groups and "Moderators approval" on the root."""
    editors = Group.objects.create(name="Editors")
    moderators = Group.objects.create(name="Moderators")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.add(moderators)
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    root = Page.get_first_root_node()
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    if moderator:
        moderator.groups.add(moderators)
    if editor:
        editor.groups.add(editors)
    return workflow, task


def run_migration_steps():
    migration.refine_groups(apps)
    workflow, task = migration.editorial_review(apps)
    migration.assign_workflow(apps, workflow)
    migration.retire_default_workflow(apps)
    migration.retire_default_groups(apps, task)
    return task


@pytest.mark.django_db
def test_unused_defaults_are_removed():
    workflow, task = wagtail_defaults()
    run_migration_steps()
    assert Page.get_first_root_node().get_workflow() == editorial_review()
    assert not Workflow.objects.filter(pk=workflow.pk).exists()
    assert not GroupApprovalTask.objects.filter(pk=task.pk).exists()
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


@pytest.mark.django_db
def test_defaults_in_use_are_kept_and_moderators_keep_approving():
    moderator = User.objects.create_user("moderator")
    editor = User.objects.create_user("old-editor")
    workflow, task = wagtail_defaults(moderator=moderator, editor=editor)
    page = Page.objects.get(depth=2)
    page_type = ContentType.objects.get_for_model(Page)
    WorkflowState.objects.create(
        workflow=workflow,
        content_type=page_type,
        base_content_type=page_type,
        object_id=str(page.pk),
        status=WorkflowState.STATUS_APPROVED,
    )

    editorial_task = run_migration_steps()

    assert Page.get_first_root_node().get_workflow() == editorial_review()
    workflow.refresh_from_db()
    task.refresh_from_db()
    assert not workflow.active, "history is kept, the workflow disabled"
    assert not task.active
    assert WorkflowState.objects.filter(workflow=workflow).exists()
    assert set(editorial_task.groups.values_list("name", flat=True)) == {
        "Reviewers",
        "Moderators",
    }
    assert moderator.groups.filter(name="Moderators").exists()
    assert editor.groups.filter(name="Editors").exists()


@pytest.mark.django_db
def test_reviews_under_way_finish_under_the_old_workflow():
    workflow, _ = wagtail_defaults()
    page_type = ContentType.objects.get_for_model(Page)
    WorkflowState.objects.create(
        workflow=workflow,
        content_type=page_type,
        base_content_type=page_type,
        object_id=str(Page.objects.get(depth=2).pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    run_migration_steps()
    workflow.refresh_from_db()
    assert workflow.active
    assert Page.get_first_root_node().get_workflow() == editorial_review()


@pytest.mark.django_db
def test_a_root_workflow_chosen_by_an_administrator_stays():
    board = Workflow.objects.create(name="Board review")
    root = Page.get_first_root_node()
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": board})
    run_migration_steps()
    assert root.get_workflow() == board


@pytest.mark.django_db
def test_people_go_through_editorial_review():
    person_type = ContentType.objects.get_for_model(Person)
    assert WorkflowContentType.objects.get(content_type=person_type).workflow == editorial_review()
    assert Person.get_default_workflow() == editorial_review()


@pytest.mark.django_db
def test_refining_again_removes_forbidden_rights_and_changes_nothing_else():
    communications = Group.objects.get(name="Communications")
    reviewers = Group.objects.get(name="Reviewers")
    before = {group.name: set(group.permissions.all()) for group in (communications, reviewers)}
    # Rights someone granted by hand that these roles must never have.
    root = Page.get_first_root_node()
    GroupPagePermission.objects.create(
        group=communications,
        page=root,
        permission=Permission.objects.get(codename="publish_page"),
    )
    communications.permissions.add(
        Permission.objects.get(codename="publish_person"),
        Permission.objects.get(codename="change_user"),
        Permission.objects.get(codename="change_sitesettings"),
    )
    reviewers.permissions.add(Permission.objects.get(codename="change_group"))

    run_migration_steps()

    assert not communications.page_permissions.filter(permission__codename="publish_page").exists()
    for group in (communications, reviewers):
        assert set(group.permissions.all()) == before[group.name]
    assert editorial_review().workflow_tasks.count() == 1
