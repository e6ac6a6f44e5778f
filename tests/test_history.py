"""Revisions, diffs and restores, no lost updates between two editors, and
corrections, all through the desk's real forms."""

import difflib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Byline
from articles.services import content, workflow

from .factories import (
    body,
    body_figure,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_section,
    numbered,
)
from .forms import change_url, history_url, opened_form, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = make_article(
        make_section("World"),
        authors=[make_author("Ravi Kumar")],
        headline="Monsoon reaches Kerala",
        body="<p>Rain arrived on Tuesday.</p>",
    )
    content.revision_record(article=story, user=None, action="Created")
    return story


def test_every_save_keeps_a_revision_of_who_changed_what(desk, story):
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        headline="Monsoon reaches Kerala early",
    )
    revision = story.revisions.first()
    assert revision.number == 2
    assert revision.created_by.username == "asha"
    assert revision.action == "Edited"
    assert revision.changed == ["headline"]
    assert revision.data["headline"] == "Monsoon reaches Kerala early"


def test_history_lists_revisions_and_marks_the_changed_words(desk, story):
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        body="<p>Rain arrived on Monday.</p>",
    )
    page = desk.get(history_url(story))
    assertContains(page, "Asha Rao")
    assertContains(page, "<del>Tuesday.</del>", html=True)
    assertContains(page, "<ins>Monday.</ins>", html=True)


def test_any_two_revisions_can_be_compared(desk, story):
    form = opened_form(desk, change_url(story))
    post_form(desk, change_url(story), form=form, headline="Second headline")
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        headline="Third headline",
    )
    page = desk.get(history_url(story), {"old": 1, "new": 3})
    assertContains(page, "Changes from revision 1 to revision 3")
    # A headline is read whole: the old one above the new one.
    assertContains(page, "Before: <del>Monsoon reaches Kerala</del>", html=True)
    assertContains(page, "After: <ins>Third headline</ins>", html=True)


def test_restoring_brings_the_old_text_back_as_a_new_revision(desk, story):
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        headline="A headline to regret",
    )
    response = desk.post(f"{history_url(story)}1/restore/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Monsoon reaches Kerala"
    numbers = list(story.revisions.values_list("number", "action"))
    assert numbers[0] == (3, "Restored revision 1")
    assert len(numbers) == 3


def test_restoring_keeps_the_story_published_and_its_byline(desk, story):
    Byline.objects.filter(article=story).delete()
    content.revision_record(article=story, user=None, action="Byline removed")
    desk.post(f"{history_url(story)}1/restore/")
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert [byline.author.name for byline in story.bylines.all()] == ["Ravi Kumar"]
    assert Client().get(story.get_absolute_url()).status_code == 200


def test_restore_asks_for_a_post(desk, story):
    desk.get(f"{history_url(story)}1/restore/")
    assert story.revisions.count() == 1


def test_restore_first_shows_what_it_changes_and_says_a_live_page_changes_at_once(desk, story):
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        headline="A headline to regret",
        body="<p>Rain arrived on Tuesday.</p><h2>What comes next</h2>",
    )

    page = desk.get(f"{history_url(story)}1/restore/")

    assertContains(page, "This story is live. Readers see the restored text as soon as")
    assertContains(page, "Before: <del>A headline to regret</del>", html=True)
    assertContains(page, "After: <ins>Monsoon reaches Kerala</ins>", html=True)
    assertContains(page, "<del>Subheading: What comes next</del>", html=True)
    # The preview reads as the story would.
    assertContains(page, '<h3 class="restore-preview-headline">Monsoon reaches Kerala</h3>')
    assertContains(page, "<p>Rain arrived on Tuesday.</p>", html=True)
    assertContains(page, 'value="Restore revision 1 on the live page"')
    story.refresh_from_db()
    assert story.headline == "A headline to regret"


def test_restore_of_a_draft_says_only_the_draft_changes(desk, editor):
    draft = make_article(make_section(), status="draft", headline="Draft one", created_by=editor)
    content.revision_record(article=draft, user=None, action="Created")
    post_form(desk, change_url(draft), headline="Draft two")

    page = desk.get(f"{history_url(draft)}1/restore/")

    assertContains(page, "This story is not published: restoring changes the draft only.")
    assertNotContains(page, "on the live page")


def test_restore_that_would_break_a_live_page_is_explained_and_not_offered(desk, story):
    """Revision 1 had no byline yet; the live story has one and needs it."""
    Byline.objects.filter(article=story).delete()
    content.revision_record(article=story, user=None, action="Byline removed")
    make_byline = Byline.objects.create
    make_byline(article=story, author=make_author("Asha Menon"), position=0)
    content.revision_record(article=story, user=None, action="Byline added")

    page = desk.get(f"{history_url(story)}2/restore/")

    assertContains(page, "It cannot be restored while it is published")
    assertNotContains(page, 'value="Restore revision')


# No lost updates -------------------------------------------------------------


def test_second_editor_is_refused_and_told_who_changed_what(editor, story):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(make_editor("vikram", first_name="Vikram", last_name="Anand"))
    first_form, second_form = (
        opened_form(first, change_url(story)),
        opened_form(second, change_url(story)),
    )

    assert (
        post_form(
            first, change_url(story), form=first_form, headline="Monsoon hits Kerala"
        ).status_code
        == 302
    )
    typed = "<p>Rain arrived on Tuesday, and with it the first floods.</p>"
    response = post_form(
        second, change_url(story), form=second_form, body=typed, headline="Vikram's headline"
    )

    assert response.status_code == 200
    assertContains(response, "this story was changed while you were editing it, by Asha Rao")
    assertContains(response, "edited: headline")
    assertContains(response, "Vikram&#x27;s headline")
    assertContains(response, "and with it the first floods")
    story.refresh_from_db()
    assert story.headline == "Monsoon hits Kerala"
    assert "floods" not in story.body


def test_second_editor_saves_after_reopening_the_story(editor, story):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(make_editor("vikram"))
    stale = opened_form(second, change_url(story))
    post_form(
        first,
        change_url(story),
        form=opened_form(first, change_url(story)),
        headline="Monsoon hits Kerala",
    )
    assert post_form(second, change_url(story), form=stale, dateline="Kochi").status_code == 200

    response = post_form(
        second, change_url(story), form=opened_form(second, change_url(story)), dateline="Kochi"
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.dateline) == ("Monsoon hits Kerala", "Kochi")


def test_a_workflow_action_elsewhere_also_stops_a_stale_save(desk, story):
    stale = opened_form(desk, change_url(story))
    workflow.article_unpublish(article=story, user=make_editor("vikram"))
    response = post_form(desk, change_url(story), form=stale, headline="Stale")
    assertContains(response, "unpublished")
    story.refresh_from_db()
    assert story.headline == "Monsoon reaches Kerala"


# Corrections -----------------------------------------------------------------


def test_editor_appends_a_correction_that_readers_see_at_the_end(desk, story):
    form = opened_form(desk, change_url(story))
    form.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version gave the wrong day.",
        }
    )
    assert post_form(desk, change_url(story), form=form).status_code == 302
    page = Client().get(story.get_absolute_url()).content.decode()
    # What readers see; the head's structured data carries the text too.
    shown = page[page.index("<main") :]
    assert "Corrections and clarifications" in shown
    assert shown.index("An earlier version gave the wrong day.") > shown.index("Rain arrived")
    assert story.revisions.first().action == "Edited; added a correction"


def test_corrections_cannot_be_rewritten_or_removed(desk, story):
    story.corrections.create(text="Original wording.")
    form = opened_form(desk, change_url(story))
    assert "corrections-0-text" not in form
    form["corrections-0-text"] = "Quietly changed."
    post_form(desk, change_url(story), form=form)
    assert story.corrections.get().text == "Original wording."
    assertNotContains(Client().get(story.get_absolute_url()), "Quietly changed.")


def test_diff_shows_punctuation_as_readers_read_it(desk, story):
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        body="<p>Rain &amp; wind arrived on Tuesday.</p>",
    )
    page = desk.get(history_url(story)).content.decode()
    assert "Rain<ins> &amp; wind</ins> arrived" in page
    assert "&amp;amp;" not in page


def test_diff_shows_a_picture_placed_in_the_body(desk, story):
    picture = make_image(alt_text="Fishing boats at the ghat")
    typed = story.body + body_figure(picture, alt=picture.alt_text, caption="Morning catch")
    post_form(desk, change_url(story), body=typed)
    page = desk.get(history_url(story)).content.decode()
    assert f"[Picture {picture.pk}: Fishing boats at the ghat] Morning catch</ins>" in page


# Long stories -----------------------------------------------------------------


@pytest.fixture
def long_story(desk, story):
    """An 8,000-word story (160 paragraphs of 50 words), with a revision."""
    post_form(
        desk,
        change_url(story),
        form=opened_form(desk, change_url(story)),
        body=body(*numbered(160)),
    )
    return story


def edit_paragraph_80(desk, story):
    paragraphs = numbered(160)
    paragraphs[79] = paragraphs[79].replace("council", "mayor", 1)
    post_form(
        desk, change_url(story), form=opened_form(desk, change_url(story)), body=body(*paragraphs)
    )


def test_an_edited_paragraph_in_a_long_story_is_marked_and_the_rest_left_alone(desk, long_story):
    edit_paragraph_80(desk, long_story)
    page = desk.get(history_url(long_story)).content.decode()
    assert "Paragraph 80: the <del>council</del><ins>mayor</ins> weighed" in page
    assert page.count("<del>") == page.count("<ins>") == 1
    assert "Paragraph 79:" in page and "Paragraph 81:" in page
    assert "… 78 unchanged paragraphs …" in page and "… 79 unchanged paragraphs …" in page
    assert "Paragraph 78:" not in page and "Paragraph 82:" not in page


def test_history_weighs_only_the_changed_paragraph_not_the_whole_story(
    desk, long_story, monkeypatch
):
    edit_paragraph_80(desk, long_story)
    weighed = []

    class CountingMatcher(difflib.SequenceMatcher):
        def set_seqs(self, a, b):
            weighed.append(len(a) + len(b))
            super().set_seqs(a, b)

    monkeypatch.setattr(difflib, "SequenceMatcher", CountingMatcher)
    desk.get(history_url(long_story))
    # At most the paragraph's 50 words and the spaces between them, old and
    # new, where matching the whole body would weigh some 32,000 items.
    assert 0 < sum(weighed) <= 2 * 2 * 50


def test_history_loads_the_content_of_the_two_compared_revisions_only(desk, story):
    for number in range(3):
        post_form(
            desk,
            change_url(story),
            form=opened_form(desk, change_url(story)),
            headline=f"Headline number {number}",
        )
    with CaptureQueriesContext(connection) as queries:
        desk.get(history_url(story))
    reads = [query["sql"] for query in queries if '"articles_revision"."data"' in query["sql"]]
    assert len(reads) == 1
    assert '"articles_revision"."number" IN' in reads[0]


def test_history_shows_markup_typed_into_the_story_as_text(desk, story):
    form = opened_form(desk, change_url(story))
    hostile = "<p>Rain &lt;img src=x onerror=alert(2)&gt; arrived on Tuesday.</p>"
    post_form(
        desk,
        change_url(story),
        form=form,
        headline="<script>alert(1)</script> Monsoon",
        body=hostile,
    )
    page = desk.get(history_url(story)).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; Monsoon</ins>" in page
    assert "<ins> &lt;img src=x onerror=alert(2)&gt;</ins>" in page
