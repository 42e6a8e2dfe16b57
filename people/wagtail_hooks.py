"""Admin registration: people, roles and specialties under one 'People' menu."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
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

    def get_urlpatterns(self):
        # Wagtail's "submitted for review" email links a snippet's preview by its key
        # alone; the preview needs the review step too. This address adds it.
        return [
            *super().get_urlpatterns(),
            path(
                f"workflow/preview/<{self.pk_path_converter}:pk>/",
                self.current_review_preview,
                name="workflow_preview",
            ),
        ]

    def current_review_preview(self, request, pk):
        """The preview of the step under review, or the edit form if none is."""
        person = get_object_or_404(self.model, pk=pk)
        task_state = person.current_workflow_task_state
        if task_state is None:
            return redirect(self.get_url_name("edit"), pk)
        return redirect(
            reverse(self.get_url_name("workflow_preview"), args=[pk, task_state.task_id])
        )


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
