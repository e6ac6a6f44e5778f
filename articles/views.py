from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import previews
from .links import feed_links, moved_permanently, tag_url
from .models import Article, Author, ScheduledUpdate
from .navigation import SectionTree
from .pagecache import keys
from .pagecache.keys import shows
from .pagination import StoryPage, page_number
from .querysets import SECTION_PAGE, STORY_PAGE, STORY_PAGE_MORE, DeskState, tag_answering_at
from .rendering import body_with_read_more
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
    visible = Article.objects.visible()
    top_stories = list(visible.for_cards().top_stories(TOP_STORIES)[:TOP_STORIES])
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
    response = render(
        request,
        "articles/home.html",
        {"top_stories": top_stories, "section_blocks": section_blocks},
    )
    shown = [*top_stories, *(story for _, stories in section_blocks for story in stories)]
    return shows(request, response, {keys.STORIES, *keys.listing(shown)})


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
    response = render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "lineage": tree.lineage(section)[:-1],
            "subsections": tree.children(section),
            "page": page,
            "feeds": feed_links("section", section),
        },
    )
    shown = {keys.section_list(section.pk), *keys.listing(page.object_list)}
    return shows(request, response, shown)


def article_detail(request, section_path, slug, pk):
    now = timezone.now()
    # Beyond 18 digits a number is no story's, and too long for a column.
    article = STORY_PAGE.first(pk=int(pk), now=now) if len(pk) <= 18 else None
    if article is None:
        raise Http404("No such story.")
    # The number identifies the story; the rest of the address may be old
    # (a new slug, a moved section), so send readers to the current one.
    if article.section.path != section_path or article.slug != slug:
        return moved_permanently(request, article.get_absolute_url())
    response = render_story(request, article, now)
    return shows(request, response, keys.story_page(article))


def render_story(request, article: Article, now, **context):
    tree = SectionTree.for_request(request)
    more = STORY_PAGE_MORE.all(section_path=article.section.path, pk=article.pk, now=now)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "lineage": tree.lineage(article.section),
            "body_blocks": body_with_read_more(article),
            "more_from_section": more,
            "feeds": feed_links("section", article.section),
            **context,
        },
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
