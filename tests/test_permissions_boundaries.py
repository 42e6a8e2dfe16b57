"""What each role can and cannot reach in the admin, checked through the admin's views."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.models import Page

from cms.models import SiteSettings
from home.factories import make_site_root

ADMIN_ONLY_URLS = [
    "/admin/users/",
    "/admin/users/new/",
    "/admin/groups/",
    "/admin/groups/new/",
    "/admin/settings/cms/sitesettings/",
    "/admin/sites/",
    "/admin/workflows/list/",
    "/admin/workflows/tasks/index/",
]


def member_of(group_name, username=None, **extra):
    username = username or group_name.split()[0].lower()
    user = User.objects.create_user(
        username, f"{username}@example.org", "password", is_staff=False, **extra
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def refused(response, url):
    """Wagtail refuses with a 403, or by sending the user to the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and not response["Location"].startswith(url)


@pytest.fixture
def site(db):
    return make_site_root()


@pytest.mark.parametrize("group_name", ["Communications", "Reviewers"])
@pytest.mark.parametrize("url", ADMIN_ONLY_URLS)
def test_editorial_roles_cannot_reach_administration(client, site, group_name, url):
    client.force_login(member_of(group_name))
    assert refused(client.get(url), url)


@pytest.mark.parametrize("url", ADMIN_ONLY_URLS)
def test_site_administrators_can(client, site, url):
    client.force_login(member_of("Site administrators"))
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith(url), response.redirect_chain


def test_communications_cannot_create_a_user_or_promote_themselves(client, site):
    editor = member_of("Communications")
    client.force_login(editor)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "intruder",
            "email": "intruder@example.org",
            "first_name": "In",
            "last_name": "Truder",
            "password1": "a-long-password-1234",
            "password2": "a-long-password-1234",
            "is_superuser": "on",
        },
    )
    assert refused(response, reverse("wagtailusers_users:add"))
    assert not User.objects.filter(username="intruder").exists()

    group = Group.objects.get(name="Site administrators")
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    assert refused(client.post(url, {"name": "Site administrators"}), url)
    assert not editor.groups.filter(name="Site administrators").exists()


def test_communications_cannot_change_site_settings(client, site):
    client.force_login(member_of("Communications"))
    settings_url = f"/admin/settings/cms/sitesettings/{site.get_site().pk}/"
    response = client.post(settings_url, {"organisation_name": "Changed by an editor"})
    assert refused(response, settings_url)
    assert SiteSettings.for_site(site.get_site()).organisation_name != "Changed by an editor"


def test_publishing_rights(site):
    editor, reviewer = member_of("Communications"), member_of("Reviewers")
    assert not site.permissions_for_user(editor).can_publish()
    assert site.permissions_for_user(reviewer).can_publish()
    assert not editor.has_perm("people.publish_person")
    assert reviewer.has_perm("people.publish_person")
    for user in (editor, reviewer):
        assert user.has_perm("wagtailcore.add_comment")
        assert not user.has_perm("cms.change_sitesettings")
        assert not user.has_perm("auth.change_user")


def test_non_staff_user_without_admin_access_cannot_reach_the_admin(client, site):
    client.force_login(member_of(None, username="member"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert client.get("/admin/pages/").status_code == 302


def test_anonymous_visitor_is_sent_to_the_login_page(client, site):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_editors_can_edit_below_the_root_page(client, site):
    client.force_login(member_of("Communications"))
    root = Page.get_first_root_node()
    assert client.get(reverse("wagtailadmin_explore", args=[root.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[site.pk])).status_code == 200
