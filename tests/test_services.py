import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import permissions
from articles.models import Article, ScheduledUpdate, Section
from articles.services import content, sections, stories, updates, workflow

from .factories import edit_story, make_article, make_author, make_editor, make_section
from .factories import prepare_update as prepared

pytestmark = pytest.mark.django_db


def test_section_path_depth_and_root_follow_the_tree():
    news = make_section("News")
    world = make_section("World", parent=news)
    asia = make_section("Asia", parent=world)
    assert (asia.path, asia.depth, asia.root_id) == ("news/world/asia", 2, news.pk)
    assert str(asia) == "News › World › Asia"
    assert (news.path, news.depth, news.root_id) == ("news", 0, news.pk)


def test_renaming_a_section_moves_its_whole_subtree():
    news = make_section("News")
    world = make_section("World", parent=news)
    make_section("Asia", parent=world)
    news.slug = "headlines"
    sections.section_save(section=news, user=make_editor())
    assert Section.objects.get(name="Asia").path == "headlines/world/asia"


def test_moving_a_section_changes_its_subtree_root_and_depth():
    news = make_section("News")
    world = make_section("World", parent=news)
    asia = make_section("Asia", parent=world)
    world.parent = None
    sections.section_save(section=world, user=make_editor())
    asia.refresh_from_db()
    assert (asia.path, asia.depth, asia.root_id) == ("world/asia", 1, world.pk)


def test_sections_sort_in_reading_order_of_the_tree():
    news = make_section("News", position=1)
    sport = make_section("Sport", position=2)
    make_section("World", parent=news, position=2)
    make_section("India", parent=news, position=1)
    make_section("News Analysis", slug="news-analysis", position=3)
    assert [s.name for s in Section.objects.all()] == [
        "News",
        "India",
        "World",
        "Sport",
        "News Analysis",
    ]
    assert sport.tree_order < Section.objects.get(name="News Analysis").tree_order


def test_substantive_update_moves_the_updated_time():
    article = make_article(authors=[make_author()])
    later = timezone.now() + timedelta(minutes=5)
    edit = stories.StoryEdit(mark_updated=True)
    stories.article_desk_save(article=article, user=make_editor(), edit=edit, now=later)
    article.refresh_from_db()
    assert article.updated_at == later


def test_ordinary_save_leaves_the_updated_time_alone():
    article = make_article(authors=[make_author()])
    edit_story(article, make_editor(), headline="A typo fixed")
    article.refresh_from_db()
    assert article.updated_at is None


def test_update_mark_on_a_draft_changes_nothing_readers_see():
    article = make_article(status=Article.Status.DRAFT)
    edit = stories.StoryEdit(mark_updated=True)
    stories.article_desk_save(article=article, user=make_editor(), edit=edit)
    assert article.updated_at is None


# Workflow services: the edges a desk runs into ----------------------------


def test_an_update_that_would_undo_a_later_live_edit_is_held_for_the_desk():
    editor = make_editor()
    story = make_article(authors=[make_author()], body="<p>Ten people were rescued.</p>")
    later = timezone.now() + timedelta(hours=1)
    update = prepared(story, editor, later, body="<p>Twelve people were rescued.</p>")
    edit_story(story, editor, body="<p>Ten people were rescued by boat.</p>")

    assert updates.updates_apply_due(now=later + timedelta(seconds=1)) == 0
    story.refresh_from_db()
    update.refresh_from_db()
    assert story.body == "<p>Ten people were rescued by boat.</p>"
    assert update.failed_at is not None and "body changed after" in update.problem
    assert not ScheduledUpdate.objects.due(later + timedelta(hours=1)).exists()


def test_one_broken_update_does_not_hold_up_the_others():
    editor = make_editor()
    gone, kept = make_author("Leaving Reporter"), make_author()
    first = make_article(authors=[kept])
    second = make_article(authors=[kept], headline="Second story")
    due = timezone.now() + timedelta(minutes=10)
    broken = prepared(first, editor, due, headline="First story, updated")
    broken.changes = {"bylines": [[gone.pk, gone.name]]}
    broken.base = {"bylines": [[kept.pk, kept.name]]}
    broken.save()
    gone.delete()
    fine = prepared(second, editor, due + timedelta(minutes=1), headline="Second story, updated")

    assert updates.updates_apply_due(now=due + timedelta(hours=1)) == 1
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert "Leaving Reporter" in broken.problem and broken.applied_at is None
    assert fine.applied_at is not None
    assert Article.objects.get(pk=second.pk).headline == "Second story, updated"


def test_unpublishing_cancels_the_updates_prepared_for_the_story():
    editor = make_editor()
    story = make_article(authors=[make_author()])
    due = timezone.now() + timedelta(hours=1)
    update = prepared(story, editor, due, headline="Would have come back changed")
    workflow.article_unpublish(article=story, user=editor)
    assert updates.updates_apply_due(now=due + timedelta(minutes=1)) == 0
    update.refresh_from_db()
    assert update.cancelled_at is not None
    assert Article.objects.get(pk=story.pk).headline != "Would have come back changed"


def test_publishing_a_story_whose_expiry_has_passed_is_refused():
    editor = make_editor()
    story = make_article(
        authors=[make_author()],
        status=Article.Status.UNPUBLISHED,
        published_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="expiry time has passed"):
        workflow.article_publish(article=story, user=editor)
    assert not Article.objects.visible().filter(pk=story.pk).exists()


def test_a_list_action_does_not_write_back_text_it_loaded_before_a_save():
    editor = make_editor()
    story = make_article(authors=[make_author()], status=Article.Status.DRAFT)
    loaded = Article.objects.get(pk=story.pk)
    edit_story(story, editor, headline="Saved by someone else meanwhile")
    workflow.article_publish(article=loaded, user=editor)
    story.refresh_from_db()
    assert story.headline == "Saved by someone else meanwhile"
    assert story.status == Article.Status.PUBLISHED


def test_two_updates_of_the_same_headline_apply_one_after_the_other():
    editor = make_editor()
    story = make_article(authors=[make_author()], headline="Counting begins")
    noon = timezone.now() + timedelta(hours=2)
    prepared(story, editor, noon, headline="Early leads for the ruling party")
    story.refresh_from_db()
    prepared(story, editor, noon + timedelta(hours=2), headline="Ruling party wins a majority")

    assert updates.updates_apply_due(now=noon) == 1
    assert Article.objects.get(pk=story.pk).headline == "Early leads for the ruling party"
    assert updates.updates_apply_due(now=noon + timedelta(hours=2)) == 1
    assert Article.objects.get(pk=story.pk).headline == "Ruling party wins a majority"
    assert not ScheduledUpdate.objects.failed().exists()


# A story readers see keeps what publishing asked of it -----------------------


def test_a_live_story_is_not_saved_without_its_text_or_its_byline():
    editor = make_editor()
    story = make_article(authors=[make_author()], body="<p>Polls closed at six.</p>")
    with pytest.raises(ValidationError, match="no body text"):
        edit_story(story, editor, body="")
    with pytest.raises(ValidationError, match="at least one author"):
        edit_story(story, editor, bylines=[])
    story.refresh_from_db()
    assert story.body == "<p>Polls closed at six.</p>" and story.bylines.count() == 1


def test_restoring_an_empty_revision_into_a_live_story_is_refused():
    editor = make_editor()
    story = make_article(authors=[make_author()], status=Article.Status.DRAFT, body="")
    empty = content.revision_record(article=story, user=editor, action="Created")
    edit_story(story, editor, permissions.PUBLISH, body="<p>Now with words.</p>")
    with pytest.raises(ValidationError, match="no body text"):
        workflow.revision_restore(revision=empty, user=editor)
    assert Article.objects.visible().get(pk=story.pk).body == "<p>Now with words.</p>"


def test_an_update_that_would_empty_a_live_story_is_refused():
    editor = make_editor()
    story = make_article(authors=[make_author()])
    with pytest.raises(ValidationError, match="at least one author"):
        prepared(story, editor, timezone.now() + timedelta(hours=1), bylines=[])
    assert not story.scheduled_updates.exists()


# A busy database holds no update for good ------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a row lock held by another connection"
)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_update_that_meets_a_busy_database_stays_due_and_is_tried_again():
    editor = make_editor()
    story = make_article(authors=[make_author()], headline="Counting begins")
    due = timezone.now() + timedelta(minutes=5)
    update = prepared(story, editor, due, headline="Counting ends")
    holding, release = threading.Event(), threading.Event()

    def hold_the_story():
        try:
            with transaction.atomic():
                Article.objects.select_for_update().get(pk=story.pk)
                holding.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_story)
    holder.start()
    assert holding.wait(timeout=10)
    try:
        with connection.cursor() as cursor:
            # A real lock wait, cut short as a busy database would.
            cursor.execute("SET lock_timeout = '200ms'")
        assert updates.updates_apply_due(now=due) == 0
    finally:
        release.set()
        holder.join(timeout=15)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    update.refresh_from_db()
    assert update.failed_at is None and update.problem == ""
    assert DBTaskResult.objects.filter(run_after__gt=timezone.now()).exists()
    assert updates.updates_apply_due(now=due) == 1
    assert Article.objects.get(pk=story.pk).headline == "Counting ends"
