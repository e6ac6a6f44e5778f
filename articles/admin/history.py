"""A story's history in the desk: every revision, a diff between any two,
and restore."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import diffs, permissions, revisions
from ..desk import ModelAdminMixin
from ..models import Article, Revision
from ..richtext import sanitize_body
from ..services import checks, workflow


class RevisionHistory(ModelAdminMixin):
    """For the story admin: the admin's History page shows revisions."""

    def history_view(self, request, object_id, extra_context=None):
        """Every revision, a diff between any two, and restore buttons."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404("No such story.")
        # The list needs no content: a revision's data holds the whole story.
        seen = permissions.desk_revisions(request.user, article.revisions.all())
        story_revisions = list(seen.select_related("created_by").defer("data"))
        for revision in story_revisions:
            revision.changed_text = revisions.describe(revision.changed)
        by_number = {revision.number: revision for revision in story_revisions}
        newest = story_revisions[0].number if story_revisions else 0
        old_number = _int(request.GET.get("old"), newest - 1)
        new_number = _int(request.GET.get("new"), newest)
        old, new = by_number.get(old_number), by_number.get(new_number)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of “{article.headline}”",
            "opts": self.opts,
            "article": article,
            "revisions": story_revisions,
            "old": old,
            "new": new,
            "rows": _diff_rows(article, old, new),
            "can_restore": not permissions.refusal(request.user, article, permissions.RESTORE),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, number):
        """GET: what restoring the revision would change, a preview of it,
        and whether readers would see it at once; POST: restore it."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such story.")
        seen = permissions.desk_revisions(request.user, article.revisions.all())
        revision = get_object_or_404(seen, number=number)
        if request.method != "POST":
            return self.restore_confirmation(request, article, revision)
        try:
            restored = workflow.revision_restore(revision=revision, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[object_id]))
        self.message_user(
            request,
            f"Revision {number} restored as revision {restored.number}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[object_id]))

    def restore_confirmation(self, request, article: Article, revision: Revision):
        if refused := permissions.refusal(request.user, article, permissions.RESTORE):
            self.message_user(request, refused, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[article.pk])
            )
        now = timezone.now()
        stored = revisions.snapshot(article)
        restored = {**stored, **{name: revision.data[name] for name in revisions.CONTENT_LABELS}}
        live = Article.objects.visible(now).filter(pk=article.pk).exists()
        problems = []
        if article.status == Article.Status.PUBLISHED:
            content = {name: revision.data[name] for name in revisions.CONTENT_LABELS}
            problems = checks.live_content_problems(article, content)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Restore revision {revision.number} of “{article.headline}”?",
            "opts": self.opts,
            "article": article,
            "revision": revision,
            "rows": diffs.diff(stored, restored),
            "live": live,
            "scheduled_for": article.published_at
            if article.status == Article.Status.PUBLISHED and not live
            else None,
            "problems": problems,
            "preview": {
                "headline": restored["headline"],
                "standfirst": restored["standfirst"],
                "body": mark_safe(sanitize_body(restored["body"] or "")),
            },
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)


def _diff_rows(article, old: Revision | None, new: Revision | None) -> list[dict]:
    """The diff between two revisions, loading the content of those two only."""
    if new is None:
        return []
    numbers = [revision.number for revision in (old, new) if revision is not None]
    data = dict(article.revisions.filter(number__in=numbers).values_list("number", "data"))
    return diffs.diff(data[old.number] if old else {}, data[new.number])


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
