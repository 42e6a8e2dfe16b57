"""The editorial groups made by migration, and the development-only demo users."""

from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

GROUPS = ["Communications", "Reviewers", "Site administrators"]


def page_permission_codenames(group):
    return set(group.page_permissions.values_list("permission__codename", flat=True))


@pytest.fixture
def demo_users(db):
    call_command("create_demo_users", stdout=StringIO())
    return {user.username: user for user in User.objects.all()}


def login(client, username):
    client.login(username=username, password=f"smop-{username}-demo")
    return client


@pytest.mark.django_db
def test_groups_exist_with_admin_access():
    for name in GROUPS:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name


@pytest.mark.django_db
def test_wagtails_default_groups_are_retired_on_a_fresh_database():
    assert sorted(Group.objects.values_list("name", flat=True)) == GROUPS


@pytest.mark.django_db
def test_communications_can_edit_but_not_publish_pages():
    codenames = page_permission_codenames(Group.objects.get(name="Communications"))
    assert {"add_page", "change_page"} <= codenames
    assert "publish_page" not in codenames


@pytest.mark.django_db
def test_communications_edit_and_lock_people_but_cannot_publish_them():
    group = Group.objects.get(name="Communications")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_person", "change_person", "lock_person"} <= codenames
    assert not codenames & {"publish_person", "unlock_person", "delete_person"}


@pytest.mark.django_db
def test_reviewers_publish_pages_and_people():
    group = Group.objects.get(name="Reviewers")
    assert "publish_page" in page_permission_codenames(group)
    assert group.permissions.filter(codename="publish_person").exists()
    assert group.permissions.filter(codename="unlock_person").exists()
    assert group.permissions.filter(codename="delete_comment").exists()


@pytest.mark.django_db
def test_site_administrators_manage_users_and_settings():
    group = Group.objects.get(name="Site administrators")
    for codename in ("add_user", "change_user", "change_group", "change_sitesettings"):
        assert group.permissions.filter(codename=codename).exists(), codename


@pytest.mark.parametrize(
    ("username", "url", "allowed"),
    [
        ("editor", "/admin/images/", True),
        ("editor", "/admin/documents/", True),
        ("editor", "/admin/snippets/people/person/add/", True),
        ("editor", "/admin/users/", False),
        ("editor", "/admin/groups/", False),
        ("editor", "/admin/settings/cms/sitesettings/", False),
        ("reviewer", "/admin/images/", True),
        ("reviewer", "/admin/users/", False),
        ("admin", "/admin/users/", True),
        ("admin", "/admin/settings/cms/sitesettings/", True),
    ],
)
def test_admin_boundaries(client, demo_users, username, url, allowed):
    # A refused user is sent back to the dashboard; an allowed one may be redirected
    # within the section (site settings go to the current site's form).
    response = login(client, username).get(url, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith(url) is allowed, response.redirect_chain


def test_demo_users_belong_to_their_groups(demo_users):
    assert demo_users["admin"].is_superuser
    assert list(demo_users["editor"].groups.values_list("name", flat=True)) == ["Communications"]
    assert list(demo_users["reviewer"].groups.values_list("name", flat=True)) == ["Reviewers"]
    assert not demo_users["editor"].is_superuser


def test_demo_users_are_idempotent_and_leave_existing_accounts_alone(demo_users):
    editor = demo_users["editor"]
    editor.set_password("changed-by-its-owner")
    editor.save()
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    assert User.objects.count() == 3
    assert "Kept existing user 'editor'" in out.getvalue()
    assert "smop-editor-demo" not in out.getvalue()
    editor.refresh_from_db()
    assert editor.check_password("changed-by-its-owner")


@pytest.mark.django_db
@override_settings(SMOP_DEMO_USERS_ALLOWED=False)
def test_demo_users_refused_where_settings_do_not_allow_them():
    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_users")
    assert not User.objects.exists()


def png_bytes():
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_communications_upload_images_and_documents_into_the_root_collection(client, demo_users):
    root = Collection.get_first_root_node()
    login(client, "editor")
    image_response = client.post(
        "/admin/images/add/",
        {
            "title": "Symposium banner",
            "file": SimpleUploadedFile("banner.png", png_bytes(), content_type="image/png"),
            "collection": root.pk,
            "alt_text": "The symposium's banner",
        },
    )
    document_response = client.post(
        "/admin/documents/add/",
        {
            "title": "Symposium programme",
            "file": SimpleUploadedFile("programme.pdf", b"%PDF-1.4 programme"),
            "collection": root.pk,
        },
    )
    assert image_response.status_code == 302, image_response.context["form"].errors
    assert document_response.status_code == 302, document_response.context["form"].errors
    image = get_image_model().objects.get(title="Symposium banner")
    document = get_document_model().objects.get(title="Symposium programme")
    assert image.collection == root and image.uploaded_by_user == demo_users["editor"]
    assert document.collection == root and document.uploaded_by_user == demo_users["editor"]
