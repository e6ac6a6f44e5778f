from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Tag slugs keep non-Latin letters (Hindi tags stay Hindi), so any
    # segment may be one.
    path("tag/<str:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("preview/<str:token>/", views.preview, name="preview"),
    # A story lives under its section: /news/world/some-headline-123/. The
    # trailing number identifies it, so a section slug may never end in one.
    re_path(
        r"^(?P<section_path>[-\w]+(?:/[-\w]+)*)/(?P<slug>[-\w]+)-(?P<pk>\d+)/$",
        views.article_detail,
        name="article",
    ),
    re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.section_detail, name="section"),
]
