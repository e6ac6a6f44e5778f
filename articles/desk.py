"""The desk: the admin site, whose front page is the editors' dashboard."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from . import permissions
from .models import Article, ScheduledUpdate

BOARD_ROWS = 10


def desk_board(user, now: datetime) -> dict:
    """What needs the desk's attention, soonest first. Reporters see their
    own work in review; editors see the whole desk."""
    articles = permissions.desk_articles(user, Article.objects.select_related("section"), now)
    grace = timedelta(seconds=settings.NEWSROOM["OVERDUE_AFTER_SECONDS"])
    # Prepared updates are embargoed copy: editors only.
    updates = ScheduledUpdate.objects.none()
    if permissions.can_publish(user):
        updates = ScheduledUpdate.objects.select_related("article", "created_by")
    schedule = sorted(
        [("Publishes", story.published_at, story) for story in articles.scheduled(now)[:BOARD_ROWS]]
        + [
            ("Update", update.due_at, update.article)
            for update in updates.pending().filter(due_at__gt=now)[:BOARD_ROWS]
        ]
        + [("Expires", story.expires_at, story) for story in articles.expiring(now)[:BOARD_ROWS]],
        key=lambda row: row[1],
    )[:BOARD_ROWS]
    return {
        "now": now,
        "overdue": list(updates.overdue(now, grace)),
        "failed": list(updates.failed()),
        "in_review": list(articles.in_review()[:BOARD_ROWS]),
        "schedule": schedule,
        "own_drafts": list(
            articles.filter(created_by=user.pk, status=Article.Status.DRAFT).order_by(
                "-modified_at"
            )[:BOARD_ROWS]
        ),
        "recently_published": list(articles.visible(now).newest_first()[:BOARD_ROWS]),
    }


class DeskAdminSite(admin.AdminSite):
    site_header = f"{settings.NEWSROOM['SITE_NAME']} desk"
    site_title = "Newsroom desk"
    index_title = "Editorial desk"
    index_template = "admin/desk_index.html"

    def autocomplete_view(self, request):
        from .admin.content import PictureAutocompleteView

        return PictureAutocompleteView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        board = desk_board(request.user, timezone.now())
        return super().index(request, {"desk": board, **(extra_context or {})})
