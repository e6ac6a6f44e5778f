"""Tags as the desk looks after them: editors rename, merge and delete them
on a page of ours, every story carrying the tag records the change as an
edit of its own, and reporters change tags only through their stories."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains
from taggit.models import Tag

from articles.models import ScheduledUpdate
from articles.services import content, updates
from articles.services import tags as tags_service

from .factories import edit_story, make_article, make_author, prepare_update
from .forms import change_url, opened_form, post_form

pytestmark = pytest.mark.django_db

TAGS_URL = "/admin/taggit/tag/"


def tag_url(tag, page="change") -> str:
    return f"{TAGS_URL}{tag.pk}/{page}/"


@pytest.fixture
def tagged(world):
    """Two live stories tagged "Monsoon", one also "Rain"."""
    author = make_author()
    made = [
        make_article(world, authors=[author], tags=["Monsoon", "Rain"], headline="Rain arrives"),
        make_article(world, authors=[author], tags=["Monsoon"], headline="Dams fill up"),
    ]
    for story in made:
        content.revision_record(article=story, user=None, action="Published")
    return made


def test_reporters_never_see_the_tag_pages(reporter_desk, tagged):
    monsoon = Tag.objects.get(name="Monsoon")
    for url in (TAGS_URL, tag_url(monsoon), tag_url(monsoon, "delete")):
        assert reporter_desk.get(url).status_code == 403
    assert TAGS_URL not in reporter_desk.get("/admin/").content.decode()


def test_a_reporter_posting_a_rename_changes_nothing(reporter_desk, tagged):
    monsoon = Tag.objects.get(name="Monsoon")
    response = reporter_desk.post(tag_url(monsoon), {"name": "Drought", "_save": "Save"})
    assert response.status_code == 403
    assert Tag.objects.filter(name="Monsoon").exists()
    assert all(story.revisions.count() == 1 for story in tagged)


def test_taggits_own_merge_page_is_gone(desk, tagged):
    response = desk.post(f"{TAGS_URL}merge-tags/", {"new_tag_name": "Weather"}, follow=True)
    assert response.status_code == 200
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Monsoon", "Rain"]


def test_editor_renames_a_tag_and_every_story_carrying_it_records_the_edit(desk, tagged):
    monsoon = Tag.objects.get(name="Monsoon")
    response = desk.post(tag_url(monsoon), {"name": "Monsoon 2026", "_save": "Save"})
    assert response.status_code == 302
    monsoon.refresh_from_db()
    assert (monsoon.name, monsoon.slug) == ("Monsoon 2026", "monsoon-2026")
    for story in tagged:
        story.refresh_from_db()
        revision = story.revisions.first()
        assert story.version == 2 and revision.changed == ["tags"]
        assert revision.action == "Renamed the tag “Monsoon” to “Monsoon 2026”"
        assert "Monsoon 2026" in revision.data["tags"]


def test_a_tag_on_more_stories_than_one_query_takes_is_renamed_on_all(desk, world, monkeypatch):
    """A tag can be on more stories than one query takes values (32,766 on
    SQLite, 65,535 on PostgreSQL): the stories are taken a chunk at a time,
    here two, and every one records the edit."""
    monkeypatch.setattr(tags_service, "LOCK_CHUNK", 2)
    stories = [make_article(world, tags=["Elections"]) for _ in range(5)]
    elections = Tag.objects.get(name="Elections")
    response = desk.post(tag_url(elections), {"name": "Elections 2026", "_save": "Save"})
    assert response.status_code == 302
    for story in stories:
        assert story.revisions.first().action == "Renamed the tag “Elections” to “Elections 2026”"
        assert story.tags.get().name == "Elections 2026"


def test_a_form_opened_before_a_rename_cannot_save_the_old_name_back(desk, tagged):
    story = tagged[0]
    form = opened_form(desk, change_url(story))
    desk.post(tag_url(Tag.objects.get(name="Monsoon")), {"name": "Rains", "_save": "Save"})
    response = post_form(desk, change_url(story), form=form, headline="Rain arrives early")
    assertContains(response, "this story was changed while you were editing it")
    story.refresh_from_db()
    assert story.headline == "Rain arrives" and sorted(story.tags.names()) == ["Rain", "Rains"]


def test_renaming_to_a_name_another_tag_has_asks_for_a_merge(desk, tagged):
    rain = Tag.objects.get(name="Rain")
    response = desk.post(tag_url(rain), {"name": "monsoon", "_save": "Save"})
    assertContains(response, "The tag “Monsoon” already exists: merge the two tags instead.")
    assert Tag.objects.filter(name="Rain").exists()


def test_merging_puts_the_kept_tag_on_every_story_and_deletes_the_rest(desk, tagged):
    chosen = [str(tag.pk) for tag in Tag.objects.filter(name__in=["Monsoon", "Rain"])]
    confirm = desk.post(TAGS_URL, {"action": "merge", "_selected_action": chosen})
    assertContains(confirm, "Merge tags")
    monsoon = Tag.objects.get(name="Monsoon")
    desk.post(TAGS_URL, {"action": "merge", "_selected_action": chosen, "into": str(monsoon.pk)})
    assert list(Tag.objects.values_list("name", flat=True)) == ["Monsoon"]
    for story in tagged:
        story.refresh_from_db()
        assert list(story.tags.names()) == ["Monsoon"]
    assert tagged[0].revisions.first().action == "Merged the tag “Rain” into “Monsoon”"
    # A story that carried only the kept tag did not change.
    assert tagged[1].revisions.count() == 1


def test_merging_with_nothing_selected_says_so(desk, tagged):
    response = desk.post(TAGS_URL, {"action": "merge", "index": "0"}, follow=True)
    assertContains(response, "Items must be selected")
    assert Tag.objects.count() == 2


def test_deleting_a_tag_takes_it_off_every_story_with_a_revision(desk, tagged):
    rain = Tag.objects.get(name="Rain")
    response = desk.post(tag_url(rain, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Tag.objects.filter(name="Rain").exists()
    story = tagged[0]
    assert list(story.tags.names()) == ["Monsoon"]
    assert story.revisions.first().action == "Deleted the tag “Rain”"


def test_a_rename_reaches_an_update_prepared_for_the_story(desk, editor, tagged):
    story = tagged[1]
    due = timezone.now() + timedelta(hours=1)
    update = prepare_update(story, editor, due, headline="Dams overflow")
    desk.post(tag_url(Tag.objects.get(name="Monsoon")), {"name": "Rains", "_save": "Save"})
    update.refresh_from_db()
    # The update was prepared against the old name: it is told of the new one
    # and still applies, rather than being held for a change nobody made.
    assert updates.update_apply(update_id=update.pk, now=due)
    story.refresh_from_db()
    assert story.headline == "Dams overflow" and list(story.tags.names()) == ["Rains"]
    assert not ScheduledUpdate.objects.failed().exists()


def test_a_rename_reaches_the_tags_an_update_will_set(desk, editor, tagged):
    story = tagged[1]
    due = timezone.now() + timedelta(hours=1)
    prepare_update(story, editor, due, tags=["Monsoon", "Dams"])
    desk.post(tag_url(Tag.objects.get(name="Monsoon")), {"name": "Rains", "_save": "Save"})
    assert updates.updates_apply_due(now=due) == 1
    assert sorted(story.tags.names()) == ["Dams", "Rains"]


def test_a_rename_keeps_an_update_applicable_whatever_the_order_of_names(desk, editor, world):
    story = make_article(world, authors=[make_author()], tags=["Alpha", "Agriculture"])
    due = timezone.now() + timedelta(hours=1)
    update = prepare_update(story, editor, due, headline="Fields flooded")
    desk.post(tag_url(Tag.objects.get(name="Alpha")), {"name": "Zeta", "_save": "Save"})
    assert updates.update_apply(update_id=update.pk, now=due)
    assert sorted(story.tags.names()) == ["Agriculture", "Zeta"]


def test_an_update_adding_a_renamed_tag_brings_the_new_name(desk, editor, world, tagged):
    other = make_article(world, authors=[make_author()], headline="Reservoirs low")
    due = timezone.now() + timedelta(hours=1)
    prepare_update(other, editor, due, tags=["Monsoon"])
    desk.post(tag_url(Tag.objects.get(name="Monsoon")), {"name": "Rains", "_save": "Save"})
    assert updates.updates_apply_due(now=due) == 1
    assert list(other.tags.names()) == ["Rains"]
    assert not Tag.objects.filter(name="Monsoon").exists()


def test_an_update_adding_a_deleted_tag_no_longer_brings_it_back(desk, editor, world, tagged):
    other = make_article(world, authors=[make_author()], headline="Reservoirs low")
    due = timezone.now() + timedelta(hours=1)
    prepare_update(other, editor, due, tags=["Rain"], headline="Reservoirs fill")
    desk.post(tag_url(Tag.objects.get(name="Rain"), "delete"), {"post": "yes"})
    assert updates.updates_apply_due(now=due) == 1
    assert not Tag.objects.filter(name="Rain").exists()


def test_a_merge_leaves_an_update_that_removed_a_merged_tag_without_the_kept_one(
    desk, editor, tagged
):
    story = tagged[0]
    due = timezone.now() + timedelta(hours=1)
    prepare_update(story, editor, due, tags=["Rain"])
    chosen = [str(tag.pk) for tag in Tag.objects.filter(name__in=["Monsoon", "Rain"])]
    into = str(Tag.objects.get(name="Rain").pk)
    desk.post(TAGS_URL, {"action": "merge", "_selected_action": chosen, "into": into})
    assert updates.updates_apply_due(now=due) == 1
    assert list(story.tags.names()) == ["Rain"]


def test_a_merge_with_a_malformed_choice_asks_again(desk, tagged):
    chosen = [str(tag.pk) for tag in Tag.objects.all()]
    response = desk.post(TAGS_URL, {"action": "merge", "_selected_action": chosen, "into": "abc"})
    assertContains(response, "Merge tags")
    assert Tag.objects.count() == 2


def test_a_tag_name_without_a_letter_is_refused_by_the_story_service(editor, world):
    story = make_article(world, authors=[make_author()])
    with pytest.raises(ValidationError, match="needs at least one letter or digit"):
        edit_story(story, editor, tags=["!!!"])
    assert not story.tags.exists()
