"""Time-driven publishing: scheduled stories and expiries as readers meet them
at the exact second, scheduled updates of live stories applied by the real
database worker (late, once, or never when cancelled), and the desk's view
of all of it. Time is frozen with time_machine; no worker runs unless a test
starts one."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from articles import permissions
from articles.models import Article, Revision, ScheduledUpdate
from articles.querysets import DeskState
from articles.services import stories, updates, workflow
from articles.services.stories import StoryEdit
from articles.tasks import apply_due_updates

from .factories import edit_story, make_article, make_author, make_editor, make_link, make_section
from .worker import run_worker

IST = ZoneInfo("Asia/Kolkata")


def ist(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2030, 3, 14, hour, minute, second, tzinfo=IST)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def shows(client, url: str, text: str) -> bool:
    """Whether a reader opening `url` gets a page with `text` on it."""
    response = client.get(url)
    return response.status_code == 200 and text in response.content.decode()


def reader_pages(article: Article) -> dict[str, str]:
    author = article.bylines.select_related("author").first().author
    tag = article.tags.first()
    return {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "author": author.get_absolute_url(),
    }


def applied_revisions(article: Article):
    return Revision.objects.filter(article=article, action__startswith="Applied")


def scheduling_desk():
    """An editor, the section they run and a reporter on it."""
    return make_editor(), make_section("News"), make_author("Asha Rao")


def make_live_story(section, author, *, headline="Dam gates opened at dawn", **fields):
    fields.setdefault("published_at", ist(9, 0))
    return make_article(section, authors=[author], tags=["Floods"], headline=headline, **fields)


# Scheduled publication and expiry, to the second ---------------------------


def schedule_story(editor, section, author, *, publish_at: datetime) -> Article:
    story = make_article(
        section,
        authors=[author],
        tags=["Monsoon"],
        headline="Monsoon reaches the coast",
        status=Article.Status.DRAFT,
    )
    workflow.article_publish(article=story, user=editor, at=publish_at)
    return story


@pytest.mark.django_db
def test_scheduled_story_is_not_found_one_second_before_its_time(client):
    editor, section, author = scheduling_desk()
    with at(ist(15, 0)):
        story = schedule_story(editor, section, author, publish_at=ist(15, 50))
    with at(ist(15, 49, 59)):
        assert client.get(story.get_absolute_url()).status_code == 404
        for page, url in reader_pages(story).items():
            assert not shows(client, url, story.headline), page


@pytest.mark.django_db
def test_scheduled_story_goes_live_at_its_second_with_no_worker(client):
    editor, section, author = scheduling_desk()
    with at(ist(15, 0)):
        story = schedule_story(editor, section, author, publish_at=ist(15, 50))
    with at(ist(15, 50)):
        assert shows(client, story.get_absolute_url(), story.headline)
        for page, url in reader_pages(story).items():
            assert shows(client, url, story.headline), page
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_story_is_on_every_page_one_second_before_it_expires(client):
    _, section, author = scheduling_desk()
    story = make_live_story(section, author, expires_at=ist(18, 0))
    with at(ist(17, 59, 59)):
        assert shows(client, story.get_absolute_url(), story.headline)
        for page, url in reader_pages(story).items():
            assert shows(client, url, story.headline), page


@pytest.mark.django_db
def test_story_disappears_from_every_page_at_its_expiry_second(client):
    _, section, author = scheduling_desk()
    story = make_live_story(section, author, expires_at=ist(18, 0))
    with at(ist(18, 0)):
        assert client.get(story.get_absolute_url()).status_code == 404
        for page, url in reader_pages(story).items():
            assert not shows(client, url, story.headline), page


@pytest.mark.django_db
def test_desk_state_turns_from_scheduled_to_live_at_the_publication_second():
    editor, section, author = scheduling_desk()
    with at(ist(15, 0)):
        story = schedule_story(editor, section, author, publish_at=ist(15, 50))
    stories = Article.objects.filter(pk=story.pk)
    assert stories.with_desk_state(ist(15, 49, 59)).get().desk_state == DeskState.SCHEDULED
    assert stories.with_desk_state(ist(15, 50)).get().desk_state == DeskState.LIVE
    assert list(Article.objects.scheduled(ist(15, 49, 59))) == [story]
    assert not Article.objects.scheduled(ist(15, 50)).exists()


@pytest.mark.django_db
def test_desk_state_turns_from_live_to_expired_at_the_expiry_second():
    _, section, author = scheduling_desk()
    story = make_live_story(section, author, expires_at=ist(18, 0))
    stories = Article.objects.filter(pk=story.pk)
    assert stories.with_desk_state(ist(17, 59, 59)).get().desk_state == DeskState.LIVE
    assert stories.with_desk_state(ist(18, 0)).get().desk_state == DeskState.EXPIRED
    assert list(Article.objects.expiring(ist(17, 59, 59))) == [story]
    assert not Article.objects.expiring(ist(18, 0)).exists()


# Scheduled updates applied by the real worker ------------------------------

DUE = ist(16, 30)


def prepare_update(
    story,
    editor,
    *,
    due_at=DUE,
    headline="Dam gates opened; villages evacuated",
    substantive=True,
):
    """At 16:00, prepare new headline, body, tags and READ MORE links for
    `due_at`, as the desk's save does: a substantive update, unless said."""
    other = make_article(story.section, headline="Rainfall records of the decade")
    edit = StoryEdit.of(
        headline=headline,
        body="<p>Villages downstream were evacuated overnight.</p>",
        tags=["Floods", "Evacuation"],
        links=[{"target": other}],
        mark_updated=substantive,
    )
    with at(ist(16, 0)), TestCase.captureOnCommitCallbacks(execute=True):
        saved = stories.article_desk_save(
            article=story,
            user=editor,
            edit=edit,
            action=permissions.SCHEDULE_UPDATE,
            update_at=due_at,
        )
    return saved.update


@pytest.mark.django_db
def test_preparing_an_update_enqueues_the_task_for_its_due_time():
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    assert update.changes.keys() == {"headline", "body", "tags", "links"}
    task = DBTaskResult.objects.get()
    assert (task.run_after, task.status) == (DUE, TaskResultStatus.READY)
    assert task.task_path == apply_due_updates.module_path


@pytest.mark.django_db
def test_preparing_an_update_leaves_the_live_story_as_it_was(
    client, django_capture_on_commit_callbacks
):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    make_link(story, url="https://example.com/dams", title="How dams work")
    prepare_update(story, editor)
    assert DBTaskResult.objects.filter(run_after=DUE).count() == 1
    assert story.headline == "Dam gates opened at dawn"
    assert sorted(story.tags.names()) == ["Floods"]
    assert [link.title for link in story.related_links.all()] == ["How dams work"]
    with at(ist(16, 29, 59)):
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Dam gates opened at dawn" in html and "villages evacuated" not in html
    assert "How dams work" in html and "Updated on" not in html


@pytest.mark.django_db
def test_worker_run_before_the_due_time_applies_nothing(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(ist(16, 29, 59)):
        run_worker()
        assert shows(client, story.get_absolute_url(), "Dam gates opened at dawn")
    update.refresh_from_db()
    assert update.applied_at is None
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    assert not applied_revisions(story).exists()


@pytest.mark.django_db
def test_worker_applies_the_update_at_its_due_time(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(DUE):
        run_worker()
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Dam gates opened; villages evacuated" in html
    assert "Villages downstream were evacuated overnight." in html
    assert "Rainfall records of the decade" in html  # the new READ MORE line
    assert 'rel="tag" href="/tag/evacuation/"' in html
    assert f'<time datetime="{DUE.isoformat()}" class="updated">' in html
    update.refresh_from_db()
    assert update.applied_at == DUE
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_a_small_fix_scheduled_as_an_update_leaves_the_updated_on_time(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(
        story, editor, headline="Dam gates opened at dawn, officials say", substantive=False
    )
    with at(DUE):
        run_worker()
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Dam gates opened at dawn, officials say" in html
    assert 'class="updated"' not in html
    story.refresh_from_db()
    assert story.updated_at is None
    update.refresh_from_db()
    assert update.applied_at == DUE and not update.substantive


@pytest.mark.django_db
def test_running_the_worker_again_changes_nothing():
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    prepare_update(story, editor)
    with at(DUE + timedelta(seconds=5)):
        run_worker()
    story.refresh_from_db()
    version, updated_at = story.version, story.updated_at
    with at(DUE + timedelta(minutes=10)):
        apply_due_updates.enqueue()  # a duplicated task
        run_worker()
        run_worker()
    story.refresh_from_db()
    assert (story.version, story.updated_at) == (version, updated_at)
    assert applied_revisions(story).count() == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


@pytest.mark.django_db
def test_worker_started_after_the_due_time_catches_up_at_once(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(DUE + timedelta(hours=1)):
        run_worker()
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Dam gates opened; villages evacuated" in html
    # Readers are told when the update was due, not when the worker woke.
    assert f'<time datetime="{DUE.isoformat()}" class="updated">' in html
    update.refresh_from_db()
    assert update.applied_at == DUE + timedelta(hours=1)
    assert applied_revisions(story).count() == 1


@pytest.mark.django_db
def test_cancelled_update_is_never_applied(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(ist(16, 10)):
        assert updates.update_cancel(update=update, user=editor)
    with at(DUE + timedelta(hours=1)):
        run_worker()
        assert shows(client, story.get_absolute_url(), "Dam gates opened at dawn")
    update.refresh_from_db()
    assert update.applied_at is None and update.cancelled_at == ist(16, 10)
    assert not applied_revisions(story).exists()
    story.refresh_from_db()
    assert sorted(story.tags.names()) == ["Floods"]


@pytest.mark.django_db
def test_live_edits_to_other_fields_survive_the_update(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author, standfirst="Water levels rose all night.")
    with at(ist(16, 0)), TestCase.captureOnCommitCallbacks(execute=True):
        edit = StoryEdit.of(headline="Dam gates opened; villages evacuated")
        stories.article_desk_save(
            article=story,
            user=editor,
            edit=edit,
            action=permissions.SCHEDULE_UPDATE,
            update_at=DUE,
        )
    with at(ist(16, 10)):  # a live fix of other fields meanwhile
        edit_story(
            story,
            editor,
            standfirst="Water levels rose all night; the army is on standby.",
            dateline="GUWAHATI",
            tags=["Floods", "Assam"],
        )
    with at(DUE):
        run_worker()
        html = client.get(story.get_absolute_url()).content.decode()
    story.refresh_from_db()
    assert story.headline == "Dam gates opened; villages evacuated"
    assert story.standfirst == "Water levels rose all night; the army is on standby."
    assert story.dateline == "GUWAHATI"
    assert sorted(story.tags.names()) == ["Assam", "Floods"]
    assert "the army is on standby" in html and "Dam gates opened; villages" in html


# Two workers at once (PostgreSQL row locks) --------------------------------


def run_together(count: int, work) -> list[BaseException]:
    """Start `count` threads at the same instant; each runs `work(i)` on a
    connection of its own and closes it. Returns what they raised."""
    barrier, errors = threading.Barrier(count), []

    def thread_main(number: int):
        try:
            barrier.wait(timeout=10)
            work(number)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def make_due_updates(count: int):
    editor, section, author = scheduling_desk()
    live = [
        make_live_story(section, author, headline=f"Story {i} as first told") for i in range(count)
    ]
    with at(ist(16, 0)):
        for story in live:
            stories.article_desk_save(
                article=story,
                user=editor,
                edit=StoryEdit.of(headline=f"{story.headline}, updated"),
                action=permissions.SCHEDULE_UPDATE,
                update_at=DUE,
            )
    return {story.pk: Article.objects.get(pk=story.pk).version for story in live}


def assert_each_applied_once(versions: dict[int, int]):
    for pk, version in versions.items():
        story = Article.objects.get(pk=pk)
        assert story.headline.endswith(", updated")
        assert applied_revisions(story).count() == 1, story.headline
        assert story.version == version + 1, story.headline
    assert not ScheduledUpdate.objects.pending().exists()


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_apply_each_update_exactly_once():
    versions = make_due_updates(4)
    with at(DUE + timedelta(minutes=1)):
        for _ in range(4):  # duplicates: every task applies every due update
            apply_due_updates.enqueue()

        def work(number: int):
            Worker(
                queue_names=["default"],
                interval=0.05,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"worker-{number}",
                excluded_queue_names=[],
            ).run()

        errors = run_together(2, work)
    assert errors == []
    failed = DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
    assert not failed.exists(), [task.traceback for task in failed]
    assert_each_applied_once(versions)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_catch_ups_apply_each_update_exactly_once():
    versions = make_due_updates(6)
    applied = [0, 0]

    def work(number: int):
        applied[number] = updates.updates_apply_due()

    with at(DUE + timedelta(minutes=1)):
        errors = run_together(2, work)
    assert errors == []
    assert sum(applied) == 6
    assert_each_applied_once(versions)


# The desk dashboard --------------------------------------------------------


def desk_board(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def desk_board_html(client, editor) -> str:
    return desk_board(client, editor).content.decode()


@pytest.mark.django_db
def test_dashboard_lists_scheduled_publications_expiries_and_updates_in_ist(
    client, django_capture_on_commit_callbacks
):
    editor, section, author = scheduling_desk()
    live = make_live_story(section, author, expires_at=ist(18, 0))
    with at(ist(15, 0)):
        schedule_story(editor, section, author, publish_at=ist(15, 50))
    with django_capture_on_commit_callbacks(execute=True):
        prepare_update(live, editor, headline="Dam gates opened; villages evacuated")
    with at(ist(16, 5)):
        board = desk_board(client, editor)
    html = board.content.decode()
    # 15:50 has passed: only the update and the expiry are still ahead.
    assert [row[0] for row in board.context["desk"]["schedule"]] == ["Update", "Expires"]
    assert 'Update <span class="when">March 14, 2030 16:30 IST</span>' in html
    assert 'Expires <span class="when">March 14, 2030 18:00 IST</span>' in html
    assert board.context["desk"]["overdue"] == []


@pytest.mark.django_db
def test_dashboard_shows_a_scheduled_publication_at_its_ist_time(client):
    editor, section, author = scheduling_desk()
    with at(ist(15, 0)):
        story = schedule_story(editor, section, author, publish_at=ist(15, 50))
        html = desk_board_html(client, editor)
    assert (
        f'Publishes <span class="when">March 14, 2030 15:50 IST</span>: '
        f'<a href="/admin/articles/article/{story.pk}/change/">Monsoon reaches the coast</a>'
    ) in html


@pytest.mark.django_db
def test_dashboard_warns_of_an_update_due_over_a_minute_ago(
    client, django_capture_on_commit_callbacks
):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    with django_capture_on_commit_callbacks(execute=True):
        prepare_update(story, editor)
    with at(DUE + timedelta(seconds=61)):
        html = desk_board_html(client, editor)
    assert "Scheduled updates are overdue" in html
    assert "due March 14, 2030 16:30 IST" in html


@pytest.mark.django_db
def test_dashboard_does_not_warn_within_the_first_minute_after_the_due_time(
    client, django_capture_on_commit_callbacks
):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    with django_capture_on_commit_callbacks(execute=True):
        prepare_update(story, editor)
    with at(DUE + timedelta(seconds=59)):
        board = desk_board(client, editor)
    assert board.context["desk"]["overdue"] == []


@pytest.mark.django_db
def test_dashboard_does_not_warn_once_the_worker_applied_the_update(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    prepare_update(story, editor)
    with at(DUE + timedelta(seconds=1)):
        run_worker()
    with at(DUE + timedelta(minutes=5)):
        board = desk_board(client, editor)
    assert board.context["desk"]["overdue"] == []


@pytest.mark.django_db
def test_dashboard_does_not_warn_of_a_cancelled_update(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(ist(16, 10)):
        updates.update_cancel(update=update, user=editor)
    with at(DUE + timedelta(minutes=5)):
        board = desk_board(client, editor)
    assert board.context["desk"]["overdue"] == []


@pytest.mark.django_db
def test_dashboard_names_an_update_that_could_not_be_applied_and_why(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(ist(16, 10)):
        edit_story(story, editor, headline="Dam gates opened at dawn, officials say")
    with at(DUE + timedelta(seconds=5)):
        run_worker()
        html = desk_board_html(client, editor)
    update.refresh_from_db()
    assert update.applied_at is None and update.failed_at is not None
    assert "could not be applied" in html
    assert "headline changed after the update was prepared" in html


@pytest.mark.django_db
def test_editor_applies_an_overdue_update_by_hand_when_no_worker_runs(client):
    editor, section, author = scheduling_desk()
    story = make_live_story(section, author)
    update = prepare_update(story, editor)
    with at(DUE + timedelta(minutes=10)):
        client.force_login(editor)
        response = client.post(
            "/admin/articles/scheduledupdate/",
            {"action": "apply_due", "_selected_action": [str(update.pk)]},
            follow=True,
        )
    assert "1 updates applied." in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Dam gates opened; villages evacuated"
    assert story.updated_at == DUE
