"""The desk's tag page, ours instead of django-taggit's: editors rename,
merge and delete tags through the tag services, which carry each change to
every story as an edit with its revision. Reporters never see it: they
give stories tags through the story form only."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit.models import Tag

from .. import permissions
from ..desk import SavesThroughService
from ..services import tags
from ..validators import ROW_NUMBER

admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if problem := tags.tag_rename_problem(tag=self.instance, name=name):
            raise forms.ValidationError(problem)
        return name


@admin.register(Tag)
class TagAdmin(SavesThroughService, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "story_count"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stories=Count("taggit_taggeditem_items"))

    @admin.display(description="Stories", ordering="stories")
    def story_count(self, tag):
        return tag.stories

    def has_module_permission(self, request):
        return permissions.can_manage_tags(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_tags(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_tags(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_tags(request.user)

    def has_add_permission(self, request):
        # Tags are born on stories, in the story form.
        return False

    def save_model(self, request, obj, form, change):
        tags.tag_rename(tag=obj, name=form.cleaned_data["name"], user=request.user)

    def delete_model(self, request, obj):
        tags.tag_delete(tag=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            tags.tag_delete(tag=tag, user=request.user)

    @admin.action(description="Merge the selected tags into one of them")
    def merge(self, request, queryset):
        """First the choice of the tag to keep, then the merge."""
        chosen = list(queryset.order_by("-stories", "name"))
        choice = request.POST.get("into", "")
        into = queryset.filter(pk=choice).first() if ROW_NUMBER.fullmatch(choice) else None
        if into is None:
            context = {
                **self.admin_site.each_context(request),
                "title": "Merge tags",
                "opts": self.opts,
                "tags": chosen,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            }
            return TemplateResponse(request, "admin/taggit/tag/merge.html", context)
        try:
            changed = tags.tag_merge(tags=chosen, into=into, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request, f"Merged into “{into.name}”; {changed} stories changed.", messages.SUCCESS
        )
        return None
