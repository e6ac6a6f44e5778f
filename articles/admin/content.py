"""The desk's pages for sections, authors and ad slots, and the list
filters the story list shares with them."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from taggit.models import Tag

from .. import permissions
from ..desk import DeletesThroughService
from ..models import AdSlot, Article, Author, Section
from ..pictures.admin import PictureSelect
from ..services import authors, sections


def indented(section: Section) -> str:
    return f"{'— ' * section.depth}{section.name}"


class SectionTreeFilter(admin.SimpleListFilter):
    """Filter by section, shown as the tree; a section includes its
    subsections' stories."""

    title = "section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return [(section.path, indented(section)) for section in Section.objects.all()]

    def queryset(self, request, queryset):
        if path := self.value():
            return queryset.in_section(Section(path=path))
        return queryset


class PopularTagFilter(admin.SimpleListFilter):
    """The most used tags; any other is one click away from its tag page."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = permissions.desk_tags(request.user, Tag.objects.all())
        popular = tags.annotate(uses=Count("taggit_taggeditem_items")).order_by("-uses", "name")
        return [(tag.slug, tag.name) for tag in popular[:25]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class SectionChoiceField(forms.ModelChoiceField):
    """Sections shown as the tree."""

    def label_from_instance(self, obj):
        return indented(obj)


@admin.register(Section)
class SectionAdmin(DeletesThroughService, admin.ModelAdmin):
    list_display = ["tree_name", "path", "position"]
    list_display_links = ["tree_name"]
    search_fields = ["name", "path"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent", "position", "description"]
    ordering = ["tree_order"]

    @admin.display(description="Section", ordering="tree_order")
    def tree_name(self, section):
        return indented(section)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["form_class"] = SectionChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        sections.section_save(section=obj, user=request.user)

    def delete_one(self, request, section):
        sections.section_delete(section=section, user=request.user)


@admin.register(Author)
class AuthorAdmin(DeletesThroughService, admin.ModelAdmin):
    list_display = ["name", "kind", "role", "user", "story_count"]
    list_filter = ["kind"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
    list_select_related = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            kwargs["widget"] = PictureSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Only the stories this person may see count: a reporter learns
        # nothing of an author's embargoed drafts from the number.
        seen = permissions.desk_articles(request.user, Article.objects.all()).values("pk")
        stories = Count("bylines", filter=Q(bylines__article__in=seen))
        # Aggregating drops Meta.ordering, which the list and autocomplete
        # pagination rely on.
        return super().get_queryset(request).annotate(story_count=stories).order_by("name")

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, author):
        return author.story_count

    def save_model(self, request, obj, form, change):
        authors.author_save(author=obj, user=request.user)

    def delete_one(self, request, author):
        authors.author_delete(author=author, user=request.user)


@admin.register(AdSlot)
class AdSlotAdmin(DeletesThroughService, admin.ModelAdmin):
    list_display = ["name", "section", "is_active"]
    list_filter = ["is_active", "name"]
    list_select_related = ["section"]
    autocomplete_fields = ["section"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        sections.ad_slot_save(slot=obj, user=request.user)

    def delete_one(self, request, slot):
        sections.ad_slot_delete(slot=slot, user=request.user)
