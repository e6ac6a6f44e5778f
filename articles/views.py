from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import previews, readership
from .links import feed_links, moved_permanently, tag_url
from .models import Article, Author, ScheduledUpdate
from .navigation import SectionTree
from .pagecache import keys, store
from .pagecache.keys import shows
from .pagination import StoryPage, page_number
from .querysets import (
    MORE_FROM_SECTION,
    SECTION_FRONT,
    SECTION_PAGE,
    STORY_PAGE,
    STORY_PAGE_MORE,
    STORY_PAGE_RELATED,
    DeskState,
    tag_answering_at,
)
from .rendering import body_with_read_more, live_entries
from .search import SearchForm, SearchTerms, highlight

TOP_STORIES = 5
STORIES_PER_SECTION_ON_HOME = 4


def paginate(request, stories, *, allow_empty: bool = True) -> StoryPage:
    """The page of `stories` (a queryset, or a function of an offset and a
    limit) that the reader asked for."""
    if not callable(stories):
        queryset = stories
        stories = lambda offset, limit: list(queryset[offset : offset + limit])  # noqa: E731
    number = page_number(request.GET.get("page"))
    page = StoryPage(stories, number, settings.NEWSROOM["PAGE_SIZE"])
    if not allow_empty and not page.object_list:
        raise Http404("Nothing published here.")
    return page


def home(request):
    tree = SectionTree.for_request(request)
    now = timezone.now()
    visible = Article.objects.visible(now)
    top_stories = tree.placed(visible.for_cards().front_page(TOP_STORIES, now))
    sections = tree.top_level()
    latest = (
        visible.exclude(pk__in=[story.pk for story in top_stories])
        .newest_per_section(tree.sections, STORIES_PER_SECTION_ON_HOME)
        .for_cards()
    )
    # The newest of each top section with its subsections, from the newest
    # of each section.
    by_root: dict[int | None, list[Article]] = {}
    for story in latest:
        shown = by_root.setdefault(story.section.root_id, [])
        if len(shown) < STORIES_PER_SECTION_ON_HOME:
            shown.append(story)
    section_blocks = [
        (section, by_root[section.pk]) for section in sections if section.pk in by_root
    ]
    most_read = readership.most_read(None, now)
    context = {"top_stories": top_stories, "section_blocks": section_blocks, "most_read": most_read}
    response = render(request, "articles/home.html", context)
    shown = [*top_stories, *(story for _, stories in section_blocks for story in stories)]
    shown_keys = {keys.STORIES, keys.front(None), *keys.listing(shown)}
    shown_keys |= readership.keys_of(most_read)
    return shows(request, response, shown_keys, at_most=readership.LIST_SECONDS)


def section_detail(request, path):
    path = path.strip("/")
    tree = SectionTree.for_request(request)
    section = tree.answering_at(path)
    if section is None:
        raise Http404("No such section.")
    if section.path != path:
        return moved_permanently(request, section.get_absolute_url())
    now = timezone.now()
    page = paginate(
        request,
        lambda offset, limit: tree.placed(
            SECTION_PAGE.all(section_path=section.path, now=now, offset=offset, limit=limit)
        ),
    )
    if page.number == 1:
        placed_first(page, visible_on_front(tree, section, now))
    response = render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "lineage": tree.lineage(section)[:-1],
            "subsections": tree.children(section),
            "most_read": (most_read := readership.most_read(section, now)),
            "page": page,
            "feeds": feed_links("section", section),
        },
    )
    shown = {keys.section_list(section.pk), keys.front(section.pk)}
    shown |= keys.listing(page.object_list) | readership.keys_of(most_read)
    return shows(request, response, shown, at_most=readership.LIST_SECONDS)


def visible_on_front(tree: SectionTree, section, now) -> list[Article]:
    """The stories the desk placed on the section's front, in its order."""
    placed = SECTION_FRONT.all(section_id=section.pk, section_path=section.path, now=now)
    return tree.placed(placed)


def placed_first(page: StoryPage, placed: list[Article]) -> None:
    """The first page of a front: the desk's stories lead, in its order,
    then the newest of the rest. Later pages keep the plain order, in which
    each placed story has its place too."""
    ids = {story.pk for story in placed}
    page.object_list = placed + [story for story in page.object_list if story.pk not in ids]


def visible_story(pk: str, now) -> Article | None:
    """The story readers can see with the number `pk` of an address."""
    # Beyond 18 digits a number is no story's, and too long for a column.
    return STORY_PAGE.first(pk=int(pk), now=now) if len(pk) <= 18 else None


def article_detail(request, section_path, slug, pk):
    now = timezone.now()
    article = visible_story(pk, now)
    if article is None:
        raise Http404("No such story.")
    # The number identifies the story; the rest of the address may be old
    # (a new slug, a moved section), so send readers to the current one.
    if article.section.path != section_path or article.slug != slug:
        return moved_permanently(request, article.get_absolute_url())
    context = story_context(request, article, now)
    top = context["lineage"][0]
    context.update(most_read=readership.most_read(top, now), most_read_in=top)
    response = render(request, "articles/article_detail.html", context)
    shown = keys.story_page(article) | readership.keys_of(context["most_read"])
    # Related stories show their headlines and sections; those "More from"
    # the section are in its list, which `story_page` names.
    shown |= {keys.story(story.pk) for story in context["related"]}
    return shows(request, response, shown, at_most=readership.LIST_SECONDS)


def story_context(request, article: Article, now) -> dict:
    """What the story page shows around the story itself."""
    tree = SectionTree.for_request(request)
    more = STORY_PAGE_MORE.all(section_path=article.section.path, pk=article.pk, now=now)
    related = related_stories(article.pk, [story.pk for story in more], now)
    return {
        "article": article,
        "lineage": tree.lineage(article.section),
        "body_blocks": body_with_read_more(article),
        "more_from_section": more,
        "related": related,
        "feeds": feed_links("section", article.section),
        **live_context(article),
    }


def live_context(article: Article) -> dict:
    """A live story's entries: all, newest first; the pinned; the key events."""
    if not article.is_live:
        return {"live": None}
    entries = live_entries(article)
    return {
        "live": {
            "entries": entries,
            "pinned": [entry for entry in entries if entry.is_pinned],
            "key_events": [entry for entry in entries if entry.is_key_event],
            "ended": article.coverage_ended_at,
            "updates": f"{article.get_absolute_url()}live/",
            "every": settings.NEWSROOM["LIVE_POLL_SECONDS"],
        }
    }


def live_updates(request, section_path, slug, pk):
    """A live story's entries alone, for an open page to pick up new ones:
    cached and purged with the story, so that asking again while nothing
    changed gets 304 Not Modified from the page cache."""
    now = timezone.now()
    article = visible_story(pk, now)
    if article is None or not article.is_live:
        raise Http404("No such live story.")
    if article.section.path != section_path or article.slug != slug:
        return moved_permanently(request, f"{article.get_absolute_url()}live/")
    response = render(request, "articles/includes/live.html", live_context(article))
    response["X-Robots-Tag"] = "noindex"
    return shows(request, response, keys.story_page(article))


def related_stories(pk: int, listed: list[int], now) -> list[Article]:
    """The story's related stories, but for those `listed` beside it. Kept
    in this process until any story is published, changed or taken down
    (they purge `stories`), or the next scheduled change (a story expiring
    or going live), whichever comes first."""
    numbers = [*listed, *[0] * MORE_FROM_SECTION][:MORE_FROM_SECTION]

    beside: dict[str, Any] = {f"listed_{n}": numbers[n] for n in range(MORE_FROM_SECTION)}

    def find() -> tuple[list[Article], object]:
        return STORY_PAGE_RELATED.all(pk=pk, now=now, **beside), keys.next_change(now)

    name = f"related:{pk}:{','.join(map(str, numbers))}"
    related, until = store.kept(keys.STORIES, name, find)
    if until is not None and until <= now:
        related, until = store.kept(keys.STORIES, name, find, refresh=True)
    return related


def render_story(request, article: Article, now, **context):
    return render(
        request, "articles/article_detail.html", story_context(request, article, now) | context
    )


@never_cache
def preview(request, token):
    """A story as readers will see it, before they can: a draft, a
    scheduled story, or a live story with a scheduled update applied. Never
    cached (the link's holder may be logged out) and never indexed."""
    try:
        article_id, update_id = previews.load(token)
    except signing.SignatureExpired:
        return render(request, "articles/preview_expired.html", status=410)
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    now = timezone.now()
    stories = Article.objects.for_reading(now).with_desk_state(now)
    article = get_object_or_404(stories, pk=article_id)
    if article.desk_state in (DeskState.UNPUBLISHED, DeskState.EXPIRED):
        # A story the desk took down is not shown to link holders either.
        return render(request, "articles/preview_expired.html", {"withdrawn": True}, status=410)
    context: dict[str, object] = {"preview": True, "preview_hours": previews.lifetime_hours()}
    if update_id is None:
        response = render_story(request, article, now, **context)
    else:
        update = get_object_or_404(ScheduledUpdate.objects.pending(), pk=update_id, article=article)
        try:
            article = previews.story_with_update(article, update, now)
        except ValidationError as error:
            # Something the update names was deleted since; the desk sees
            # the same reason when the worker reaches it.
            context = {"update_broken": True, "reason": " ".join(error.messages)}
            return render(request, "articles/preview_expired.html", context, status=410)
        response = render_story(request, article, now, update=update, **context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The link is the key: keep it out of Referer headers sent onwards.
    response["Referrer-Policy"] = "no-referrer"
    return response


def tag_detail(request, slug):
    tag = tag_answering_at(slug)
    if tag is None:
        raise Http404("No such tag.")
    # A tag or author with nothing published is not public yet: its page
    # would give away what the desk is working on, and so would a redirect
    # from an old address, which is sent only once the page is found.
    page = paginate(request, Article.objects.visible().tagged(tag).for_cards(), allow_empty=False)
    if tag.slug != slug:
        return moved_permanently(request, tag_url(tag.slug))
    context = {"tag": tag, "page": page, "feeds": feed_links("tag", tag)}
    response = render(request, "articles/tag_detail.html", context)
    shown = {keys.tag(tag.pk), keys.tag_list(tag.pk), *keys.listing(page.object_list)}
    return shows(request, response, shown)


def author_detail(request, slug):
    author = Author.objects.select_related("photo").answering_at(slug)
    if author is None:
        raise Http404("No such author.")
    page = paginate(
        request, Article.objects.visible().by_author(author).for_cards(), allow_empty=False
    )
    if author.slug != slug:
        return moved_permanently(request, author.get_absolute_url())
    context = {"author": author, "page": page, "feeds": feed_links("author", author)}
    response = render(request, "articles/author_detail.html", context)
    shown = {keys.author(author.pk), keys.author_list(author.pk), *keys.listing(page.object_list)}
    if author.photo_id:
        shown.add(keys.picture(author.photo_id))
    return shows(request, response, shown)


@csrf_exempt
@require_POST
def story_read(request, pk):
    """A story page was read: counted for the most-read lists, with nothing
    kept of who read it (no cookie is sent or read, and the count is one of
    many). Only reads from our own pages count: a browser says where a
    request comes from (`Sec-Fetch-Site`), so another site's pages cannot
    send their visitors' reads; drafts and numbers of no story are dropped
    when the counts are written."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin":
        readership.story_read(pk)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


def search(request):
    """Live stories matching what the reader typed, best first, with the
    words found highlighted. Filters that do not parse are left out."""
    tree = SectionTree.for_request(request)
    terms = SearchTerms.parse(request.GET.get("q", ""))
    form = SearchForm(request.GET, tree.sections, terms)
    context: dict[str, object] = {"form": form, "terms": terms, "notices": form.notices()}
    if terms.has_words:
        stories = Article.objects.visible().search(terms)
        if section := tree.get(form.value("section") or ""):
            stories = stories.in_section(section)
        stories = stories.published_between(
            form.value("published_from"), form.value("published_to")
        )
        stories = stories.select_related("section").defer("body").with_bylines()
        page = paginate(request, stories)
        shown = Article.objects.filter(pk__in=[story.pk for story in page.object_list])
        snippets = {
            row.pk: row.search_snippet for row in shown.with_search_snippet(terms).only("pk")
        }
        for story in page.object_list:
            story.search_snippet = highlight(snippets.get(story.pk) or "")
        context["page"] = page
    return render(request, "articles/search.html", context)
