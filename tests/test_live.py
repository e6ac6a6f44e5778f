"""Live coverage: editors post timestamped entries to a live story (now or
at a time), change them with a correction readers see, pin them, mark key
events, delete them and end the coverage; readers get every entry in the
first render, and an open page picks up changes from a small fragment that
answers 304 while nothing changed."""

import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article, LiveEntry, LiveEntryRevision
from articles.services import live
from articles.services.live import EntryText

from .factories import make_article, make_author, make_image, structured_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog(world):
    return make_article(
        world, headline="Election results as they come in", is_live=True, authors=[make_author()]
    )


def post(blog, editor, body="<p>Counting has begun.</p>", **fields) -> LiveEntry:
    return live.live_entry_post(article=blog, user=editor, text=EntryText(body=body, **fields))


def entries_on(html: str) -> list[str]:
    """The text of each entry in the timeline, newest first."""
    timeline = html.split('class="live-entries"', 1)[1]
    return [
        chunk.split('class="entry-body">', 1)[1].split("</div>", 1)[0]
        for chunk in timeline.split('data-entry="')[1:]
    ]


def test_entries_are_in_the_first_render_newest_first_with_time_and_author(client, blog, editor):
    asha = make_author("Asha Rao")
    first = live.live_entry_post(
        article=blog,
        user=editor,
        text=EntryText(body="<p>Polls closed at six.</p>", author=asha),
        now=timezone.now() - timedelta(minutes=5),
    )
    post(blog, editor, "<p>First results from the north.</p>", headline="North declares")
    html = client.get(blog.get_absolute_url()).content.decode()
    assert entries_on(html) == [
        "<p>First results from the north.</p>",
        "<p>Polls closed at six.</p>",
    ]
    assert "<h3>North declares</h3>" in html
    assert f'href="{asha.get_absolute_url()}">Asha Rao</a>' in html
    assert f'id="entry-{first.pk}"' in html
    assert '<span class="live-badge">Live</span>' in html
    # The page asks for more itself; no script is needed for what is there.
    assert "js/live.js" in html


def test_a_scheduled_entry_appears_at_its_time_even_on_a_cached_page(reader, blog, editor):
    at = timezone.now() + timedelta(seconds=2)
    post(blog, editor, "<p>The result will be declared.</p>", publish_at=at)
    page = reader.get(blog.get_absolute_url())
    assert "The result will be declared" not in page.text
    assert reader.get(blog.get_absolute_url()).cached
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.1)
    assert "The result will be declared" in reader.get(blog.get_absolute_url()).text


def test_a_change_to_an_entry_readers_saw_needs_and_shows_a_correction(client, blog, editor):
    entry = post(blog, editor, "<p>Turnout was 61%.</p>")
    with pytest.raises(ValidationError) as refused:
        live.live_entry_change(
            entry=entry, user=editor, text=EntryText(body="<p>Turnout was 67%.</p>")
        )
    assert "correction" in refused.value.message_dict
    live.live_entry_change(
        entry=entry,
        user=editor,
        text=EntryText(body="<p>Turnout was 67%.</p>"),
        correction="An earlier version gave turnout as 61%.",
    )
    html = client.get(blog.get_absolute_url()).content.decode()
    assert "<p>Turnout was 67%.</p>" in html
    assert "An earlier version gave turnout as 61%." in html
    # Pinning it changes no words: no correction is asked for.
    live.live_entry_change(
        entry=entry, user=editor, text=EntryText(body="<p>Turnout was 67%.</p>", is_pinned=True)
    )
    assert LiveEntry.objects.get(pk=entry.pk).is_pinned


def test_pinned_entries_and_key_events_lead_the_page(client, blog, editor):
    pinned = post(blog, editor, "<p>How to read tonight's numbers.</p>", is_pinned=True)
    post(blog, editor, "<p>A quiet hour.</p>")
    key = post(
        blog, editor, "<p>The ruling party concedes.</p>", headline="Concession", is_key_event=True
    )
    html = client.get(blog.get_absolute_url()).content.decode()
    key_events = html.split('class="key-events"', 1)[1].split("</nav>", 1)[0]
    assert f'href="#entry-{key.pk}"' in key_events and "Concession" in key_events
    # Listed by the time of day alone.
    assert re.search(r'<time datetime="[^"]+">\d\d:\d\d [A-Z+0-9]+</time> Concession', key_events)
    pinned_block = html.split('class="live-pinned"', 1)[1].split('class="live-entries"', 1)[0]
    assert f'id="pinned-{pinned.pk}"' in pinned_block
    assert html.index('class="key-events"') < html.index('class="live-entries"')


def test_a_deleted_entry_leaves_the_page_and_its_history_stays(reader, blog, editor):
    entry = post(blog, editor, "<p>Posted by mistake.</p>")
    assert "Posted by mistake" in reader.get(blog.get_absolute_url()).text
    live.live_entry_delete(entry=entry, user=editor)
    assert "Posted by mistake" not in reader.get(blog.get_absolute_url()).text
    actions = list(LiveEntryRevision.objects.values_list("action", flat=True))
    assert actions[0].startswith("Deleted live entry") and actions[1].startswith(
        "Posted live entry"
    )


def test_ended_coverage_is_told_to_readers_and_takes_no_more_entries(client, blog, editor):
    post(blog, editor)
    live.live_coverage_end(article=blog, user=editor)
    html = client.get(blog.get_absolute_url()).content.decode()
    assert "Coverage ended" in html
    assert "js/live.js" not in html
    with pytest.raises(ValidationError, match="ended"):
        post(blog, editor, "<p>One more.</p>")
    live.live_coverage_reopen(article=blog, user=editor)
    post(blog, editor, "<p>One more.</p>")


def test_only_editors_post_and_only_to_live_stories(world, blog, reporter, editor):
    with pytest.raises(PermissionDenied):
        post(blog, reporter)
    entry = post(blog, editor)
    with pytest.raises(PermissionDenied):
        live.live_entry_delete(entry=entry, user=reporter)
    with pytest.raises(PermissionDenied):
        live.live_coverage_end(article=blog, user=reporter)
    ordinary = make_article(world)
    with pytest.raises(ValidationError, match="not live coverage"):
        post(ordinary, editor)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"body": "<p> </p>"}, "body"),
        ({"body": "<p>x</p>", "headline": "h" * 111}, "headline"),
        ({"body": "<p>x</p>", "publish_at": timezone.now() - timedelta(hours=1)}, "publish_at"),
        ({"body": "x" * 20_001}, "body"),
    ],
)
def test_malformed_entries_are_refused_with_the_reason(blog, editor, fields, field):
    with pytest.raises(ValidationError) as refused:
        live.live_entry_post(article=blog, user=editor, text=EntryText(**fields))
    assert field in refused.value.message_dict
    assert not LiveEntry.objects.exists()


def test_a_picture_needs_its_words_and_three_pins_are_the_most(blog, editor):
    bare = make_image(alt_text="")
    with pytest.raises(ValidationError) as refused:
        post(blog, editor, image=bare)
    assert "image" in refused.value.message_dict
    for n in range(3):
        post(blog, editor, f"<p>Pinned {n}</p>", is_pinned=True)
    with pytest.raises(ValidationError, match="At most 3"):
        post(blog, editor, "<p>A fourth pin</p>", is_pinned=True)


def test_what_an_editor_types_is_made_safe(client, blog, editor):
    post(
        blog,
        editor,
        '<p onclick="x()">Hello<script>alert(1)</script></p><img src="x">',
        headline="<b>Bold</b> claim",
    )
    html = client.get(blog.get_absolute_url()).content.decode()
    timeline = html.split('class="live-entries"', 1)[1]
    assert (
        "<script>alert" not in timeline and "onclick" not in timeline and "<img src" not in timeline
    )
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in timeline


def test_an_open_page_asks_for_the_entries_and_gets_304_while_nothing_changed(
    reader, blog, editor, django_assert_num_queries
):
    post(blog, editor, "<p>First.</p>")
    address = f"{blog.get_absolute_url()}live/"
    first = reader.get(address)
    assert first.status == 200 and "<p>First.</p>" in first.text
    assert "<html" not in first.text
    assert first.headers["X-Robots-Tag"] == "noindex"
    with django_assert_num_queries(0):
        again = reader.get(address, If_None_Match=first.headers["ETag"])
    assert again.status == 304
    post(blog, editor, "<p>Second.</p>")
    changed = reader.get(address, If_None_Match=first.headers["ETag"])
    assert changed.status == 200 and "<p>Second.</p>" in changed.text


def test_a_story_that_is_not_live_has_no_entries_address(client, world):
    story = make_article(world)
    assert client.get(f"{story.get_absolute_url()}live/").status_code == 404


def test_search_engines_get_a_live_blog_posting(client, blog, editor):
    post(blog, editor, "<p>Polls closed.</p>", headline="Polls close")
    data = structured_data(client.get(blog.get_absolute_url()).content.decode())
    posting = next(item for item in data if item["@type"] == "LiveBlogPosting")
    assert posting["coverageStartTime"]
    assert "coverageEndTime" not in posting
    update = posting["liveBlogUpdate"][0]
    assert update["@type"] == "BlogPosting" and update["headline"] == "Polls close"
    assert update["articleBody"] == "Polls closed."
    live.live_coverage_end(article=blog, user=editor)
    data = structured_data(client.get(blog.get_absolute_url()).content.decode())
    assert next(item for item in data if item["@type"] == "LiveBlogPosting")["coverageEndTime"]


def test_a_live_story_is_in_the_feeds_and_the_news_sitemap(client, blog, editor):
    post(blog, editor)
    assert blog.headline in client.get("/feeds/rss.xml").content.decode()
    assert blog.get_absolute_url() in client.get("/sitemap-news.xml").content.decode()


def test_a_live_page_costs_the_same_queries_however_many_entries(
    client, blog, editor, django_assert_num_queries
):
    client.get(blog.get_absolute_url())
    for count in (1, 8):
        for n in range(count):
            post(blog, editor, f"<p>Entry {n}</p>", author=make_author(), image=make_image())
        client.get(blog.get_absolute_url())
        # The story (entries included) and more from the section; related
        # stories are kept from the request before.
        with django_assert_num_queries(2):
            html = client.get(blog.get_absolute_url()).content.decode()
        assert html.count('class="live-entry') >= count


def test_a_post_moves_the_storys_updated_time(blog, editor):
    post(blog, editor)
    assert Article.objects.get(pk=blog.pk).updated_at is not None


# The desk ---------------------------------------------------------------


def test_an_editor_posts_from_the_live_desk_in_one_short_form(desk, blog):
    page = desk.get(f"/admin/articles/article/{blog.pk}/live/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="body"' in html and 'name="headline"' in html
    answer = desk.post(
        f"/admin/articles/article/{blog.pk}/live/",
        {
            "headline": "Recount ordered",
            "body": "<p>A recount in two seats.</p>",
            "is_key_event": "on",
        },
    )
    assert answer.status_code == 302
    entry = LiveEntry.objects.get()
    assert entry.headline == "Recount ordered" and entry.is_key_event
    assert "The entry is live." in desk.get(answer.url).content.decode()


def test_a_refused_entry_keeps_what_was_typed(desk, blog):
    answer = desk.post(
        f"/admin/articles/article/{blog.pk}/live/",
        {
            "headline": "Kept headline",
            "body": "",
            "publish_at_0": "not a date",
            "publish_at_1": "10:00",
        },
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'value="Kept headline"' in html
    assert "errorlist" in html
    assert not LiveEntry.objects.exists()


def test_an_editor_corrects_and_deletes_on_the_desk(desk, blog, editor):
    entry = post(blog, editor, "<p>Wrong figure.</p>")
    change = f"/admin/articles/article/{blog.pk}/live/{entry.pk}/"
    refused = desk.post(change, {"body": "<p>Right figure.</p>"})
    assert refused.status_code == 200 and "say what was corrected" in refused.content.decode()
    desk.post(change, {"body": "<p>Right figure.</p>", "correction": "The figure was wrong."})
    assert LiveEntry.objects.get(pk=entry.pk).correction == "The figure was wrong."
    desk.post(f"{change}delete/")
    assert not LiveEntry.objects.exists()


def test_a_reporter_is_refused_the_live_desk(reporter_desk, blog):
    assert reporter_desk.get(f"/admin/articles/article/{blog.pk}/live/").status_code == 403
    answer = reporter_desk.post(f"/admin/articles/article/{blog.pk}/live/", {"body": "<p>x</p>"})
    assert answer.status_code == 403
    reporter_desk.post(f"/admin/articles/article/{blog.pk}/live/coverage/end/")
    assert not LiveEntry.objects.exists()
    assert Article.objects.get(pk=blog.pk).coverage_ended_at is None


def test_the_desk_names_an_entry_without_a_headline_by_its_words(blog, editor):
    entry = post(blog, editor, "<p>Pumps at the <b>coastal</b> stations are running.</p>")
    assert str(entry) == "Pumps at the coastal stations are running."
    assert LiveEntryRevision.objects.get().action == (
        "Posted live entry “Pumps at the coastal stations are running.”"
    )
