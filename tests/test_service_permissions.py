"""Every service checks who may do what itself: called as a reporter for
anything the role does not allow, each refuses with PermissionDenied and
changes nothing, whichever path (the desk, a command, a future API) calls
it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from taggit.models import Tag

from articles import permissions
from articles.models import AdSlot, Article, Author, Image, ScheduledUpdate, Section
from articles.pictures import services as pictures
from articles.services import authors, content, sections, stories, tags, updates, workflow
from articles.services.stories import StoryEdit

from .factories import make_article, make_author, make_image

pytestmark = pytest.mark.django_db
Status = Article.Status
LATER = timedelta(hours=2)


@pytest.fixture
def newsroom(world, reporter, editor):
    """What a reporter might reach for: their own draft, a colleague's, a
    live story with an update prepared, an editor's picture, a tag, a slot."""
    author = make_author()
    live = make_article(world, authors=[author], tags=["Floods"], headline="Live headline")
    content.revision_record(article=live, user=editor, action="Published")
    return {
        "own": make_article(world, authors=[author], status=Status.DRAFT, created_by=reporter),
        "other": make_article(world, authors=[author], status=Status.DRAFT, created_by=editor),
        "live": live,
        "update": updates.article_schedule_update(
            article=live,
            user=editor,
            content={"headline": "Prepared headline"},
            due_at=timezone.now() + LATER,
        ),
        "picture": make_image(uploaded_by=editor),
        "tag": Tag.objects.get(name="Floods"),
        "other tag": Tag.objects.create(name="Rain", slug="rain"),
        "slot": AdSlot.objects.create(name="header", markup="<p>Ad</p>"),
        "world": world,
        "author": author,
    }


def desk_save(story_key: str, action: str = permissions.EDIT, **values):
    def call(n, user):
        return stories.article_desk_save(
            article=n[story_key],
            user=user,
            edit=StoryEdit.of(**values),
            action=action,
            update_at=timezone.now() + LATER,
        )

    return call


FORBIDDEN = {
    "publish own draft": desk_save("own", permissions.PUBLISH),
    "schedule own draft": desk_save(
        "own", permissions.SCHEDULE, published_at=timezone.now() + LATER
    ),
    "edit a colleague's draft": desk_save("other", headline="Taken over"),
    "edit a live story": desk_save("live", headline="Quietly changed"),
    "unpublish a live story": desk_save("live", permissions.UNPUBLISH),
    "schedule an update": desk_save("live", permissions.SCHEDULE_UPDATE, headline="Later"),
    "send a draft back": desk_save("own", permissions.RETURN_TO_DRAFT),
    "mark own draft a top story": desk_save("own", is_featured=True),
    "set own draft's publication time": desk_save(
        "own", published_at=timezone.now() - timedelta(days=1)
    ),
    "append a correction": lambda n, user: stories.article_desk_save(
        article=n["own"], user=user, edit=StoryEdit(corrections=(("correction", "Fixed."),))
    ),
    "link own draft to a colleague's draft": lambda n, user: stories.article_desk_save(
        article=n["own"], user=user, edit=StoryEdit.of(links=[{"target": n["other"]}])
    ),
    "submit a colleague's draft": lambda n, user: workflow.article_submit(
        article=n["other"], user=user
    ),
    "publish directly": lambda n, user: workflow.article_publish(article=n["own"], user=user),
    "unpublish directly": lambda n, user: workflow.article_unpublish(article=n["live"], user=user),
    "restore a revision": lambda n, user: workflow.revision_restore(
        revision=n["live"].revisions.first(), user=user
    ),
    "prepare an update directly": lambda n, user: updates.article_schedule_update(
        article=n["live"], user=user, content={"headline": "x"}, due_at=timezone.now() + LATER
    ),
    "cancel an update": lambda n, user: updates.update_cancel(update=n["update"], user=user),
    "apply an update by hand": lambda n, user: updates.update_apply(
        update_id=n["update"].pk, user=user, now=timezone.now() + LATER * 2
    ),
    "rename a tag": lambda n, user: tags.tag_rename(tag=n["tag"], name="Drought", user=user),
    "merge tags": lambda n, user: tags.tag_merge(
        tags=[n["tag"], n["other tag"]], into=n["tag"], user=user
    ),
    "delete a tag": lambda n, user: tags.tag_delete(tag=n["tag"], user=user),
    "add a section": lambda n, user: sections.section_save(
        section=Section(name="Gossip", slug="gossip"), user=user
    ),
    "rename a section": lambda n, user: sections.section_save(
        section=Section.objects.get(pk=n["world"].pk), user=user
    ),
    "delete a section": lambda n, user: sections.section_delete(section=n["world"], user=user),
    "change an author": lambda n, user: authors.author_save(
        author=Author.objects.get(pk=n["author"].pk), user=user
    ),
    "add an author": lambda n, user: authors.author_save(
        author=Author(name="Ghost Writer", slug="ghost"), user=user
    ),
    "delete an author": lambda n, user: authors.author_delete(author=n["author"], user=user),
    "change an ad slot": lambda n, user: sections.ad_slot_save(slot=n["slot"], user=user),
    "delete an ad slot": lambda n, user: sections.ad_slot_delete(slot=n["slot"], user=user),
    "change an editor's picture": lambda n, user: pictures.image_save(
        image=Image.objects.get(pk=n["picture"].pk), user=user
    ),
    "delete a picture": lambda n, user: pictures.image_delete(image=n["picture"], user=user),
    "delete a colleague's draft": lambda n, user: workflow.article_delete(
        article=n["other"], user=user
    ),
    "delete a live story": lambda n, user: workflow.article_delete(article=n["live"], user=user),
}


def state() -> tuple:
    """What anyone could notice of the newsroom afterwards."""
    return (
        list(Article.objects.order_by("pk").values_list("headline", "status", "version")),
        list(ScheduledUpdate.objects.order_by("pk").values_list("cancelled_at", "applied_at")),
        sorted(Tag.objects.values_list("name", flat=True)),
        list(Section.objects.order_by("pk").values_list("name", "path")),
        list(Author.objects.order_by("pk").values_list("name", "slug")),
        AdSlot.objects.count(),
        list(Image.objects.order_by("pk").values_list("title", "version")),
    )


@pytest.mark.parametrize("action", FORBIDDEN)
def test_every_service_refuses_a_reporter_what_the_role_does_not_allow(newsroom, reporter, action):
    before = state()
    with pytest.raises(PermissionDenied):
        FORBIDDEN[action](newsroom, reporter)
    assert state() == before


def test_the_same_reporter_may_write_and_submit_their_own_draft(newsroom, reporter):
    saved = desk_save("own", permissions.SUBMIT, headline="Mine, ready")(newsroom, reporter)
    assert (saved.article.headline, saved.article.status) == ("Mine, ready", Status.IN_REVIEW)


def test_a_new_story_starts_as_a_draft_whatever_object_is_handed_in(world, reporter):
    disguised = Article(
        status=Status.PUBLISHED,
        is_featured=True,
        published_at=timezone.now() - timedelta(hours=1),
        version=99,
    )
    saved = stories.article_desk_save(
        article=disguised,
        user=reporter,
        edit=StoryEdit.of(headline="Quietly live?", standfirst="No.", section=world),
    )
    story = Article.objects.get(pk=saved.article.pk)
    assert (story.status, story.is_featured, story.published_at) == (Status.DRAFT, False, None)
    assert story.version == 1 and story.created_by == reporter
    assert not Article.objects.visible().filter(pk=story.pk).exists()


def test_a_picture_save_writes_only_the_words_and_focus(reporter):
    picture = make_image(uploaded_by=reporter)
    taken = Image.objects.get(pk=picture.pk)
    taken.uploaded_by, taken.content_hash, taken.caption = None, "0" * 64, "New caption"
    pictures.image_save(image=taken, user=reporter)
    stored = Image.objects.get(pk=picture.pk)
    assert stored.caption == "New caption"
    assert (stored.uploaded_by, stored.content_hash) == (reporter, picture.content_hash)


def test_deleting_a_story_records_the_lost_read_more_line_in_each_story_that_had_it(world, editor):
    draft = make_article(world, status=Status.DRAFT, headline="Background on the dam")
    live = make_article(world, authors=[make_author()], headline="Dam gates opened")
    stories.article_desk_save(
        article=live, user=editor, edit=StoryEdit.of(links=[{"target": draft}])
    )
    workflow.article_delete(article=draft, user=editor)
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert not live.related_links.exists()
    revision = live.revisions.first()
    assert revision.action == "READ MORE link to deleted “Background on the dam” removed"
    assert revision.changed == ["links"]


def test_a_reporter_deletes_their_own_draft(newsroom, reporter):
    workflow.article_delete(article=newsroom["own"], user=reporter)
    assert not Article.objects.filter(pk=newsroom["own"].pk).exists()
