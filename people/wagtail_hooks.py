"""Admin registration: people, roles and specialties under one 'People' menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import OfficerRole, Person, Specialty


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["full_name", "designation", "institution", "city", "listed_in_directory"]
    list_filter = ["listed_in_directory", "live", "specialties", "province"]
    search_fields = ["first_name", "last_name", "institution", "city"]
    ordering = ["last_name", "first_name"]


class OfficerRoleViewSet(SnippetViewSet):
    model = OfficerRole
    icon = "group"
    menu_label = _("Officer roles")
    list_display = ["name", "sort_order"]


class SpecialtyViewSet(SnippetViewSet):
    model = Specialty
    icon = "tag"
    menu_label = _("Specialties")


class PeopleGroup(SnippetViewSetGroup):
    items = (PersonViewSet, OfficerRoleViewSet, SpecialtyViewSet)
    menu_icon = "group"
    menu_label = _("People")
    menu_name = "people"


register_snippet(PeopleGroup)
