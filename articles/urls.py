from django.urls import path, re_path, register_converter

from . import feeds, sitemaps, views

# A feed in either format: /feeds/rss.xml, /feeds/section/news/world/atom.xml.
FORMAT = r"(?P<fmt>rss|atom)\.xml$"
# Tag slugs keep non-Latin letters (Hindi tags stay Hindi), so a segment of
# any letters may be one; never a control character, which no slug holds
# and which PostgreSQL refuses in a query.
TAG_SLUG = r"[^/\x00-\x1f]+"


class TagSlug:
    regex = TAG_SLUG

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TagSlug, "tagslug")

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap_news"),
    path("sitemap-sections.xml", sitemaps.sections, name="sitemap_sections"),
    path("sitemap-stories-<int:window>.xml", sitemaps.stories, name="sitemap_stories"),
    path("sitemap-tags-<int:window>.xml", sitemaps.tags, name="sitemap_tags"),
    path("sitemap-authors-<int:window>.xml", sitemaps.authors, name="sitemap_authors"),
    re_path(rf"^feeds/{FORMAT}", feeds.story_feed, name="feed"),
    re_path(
        rf"^feeds/section/(?P<key>[-\w]+(?:/[-\w]+)*)/{FORMAT}",
        feeds.story_feed,
        {"kind": "section"},
        name="section_feed",
    ),
    re_path(
        rf"^feeds/tag/(?P<key>{TAG_SLUG})/{FORMAT}",
        feeds.story_feed,
        {"kind": "tag"},
        name="tag_feed",
    ),
    re_path(
        rf"^feeds/author/(?P<key>[-\w]+)/{FORMAT}",
        feeds.story_feed,
        {"kind": "author"},
        name="author_feed",
    ),
    path("tag/<tagslug:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", views.search, name="search"),
    path("read/<int:pk>/", views.story_read, name="story_read"),
    # A story lives under its section: /news/world/some-headline-123/. The
    # trailing number identifies it, so a section slug may never end in one.
    re_path(
        r"^(?P<section_path>[-\w]+(?:/[-\w]+)*)/(?P<slug>[-\w]+)-(?P<pk>\d+)/$",
        views.article_detail,
        name="article",
    ),
    # A live story's entries, which its open page asks for again and again.
    re_path(
        r"^(?P<section_path>[-\w]+(?:/[-\w]+)*)/(?P<slug>[-\w]+)-(?P<pk>\d+)/live/$",
        views.live_updates,
        name="live_updates",
    ),
    re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.section_detail, name="section"),
]
