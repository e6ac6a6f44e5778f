"""The story body: hostile HTML in, safe HTML out; blocks for READ MORE."""

import pytest

from articles.richtext import sanitize_body, split_blocks


@pytest.mark.parametrize(
    "hostile, forbidden",
    [
        ('<p>Hi<script>alert("x")</script></p>', "<script"),
        ('<p><img src="x" onerror="alert(1)">Hi</p>', "onerror"),
        ('<p><a href="javascript:alert(1)">click</a></p>', "javascript:"),
        ('<p><a href="JaVaScRiPt:alert(1)">click</a></p>', "avascript"),
        ('<p onclick="steal()">text</p>', "onclick"),
        ('<iframe src="https://evil.example"></iframe><p>x</p>', "<iframe"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ("<style>body{display:none}</style><p>x</p>", "<style"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ('<form action="https://evil.example"><input name="card"></form>', "<form"),
        ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>', "data:"),
    ],
)
def test_hostile_html_is_neutralised(hostile, forbidden):
    assert forbidden.lower() not in sanitize_body(hostile).lower()


def test_editorial_markup_survives_sanitising():
    html = (
        "<h2>Sub</h2><p><strong>Bold</strong> and <em>italic</em> "
        '<a href="https://example.org/report">a link</a></p>'
        "<blockquote><p>Quoted</p></blockquote><ul><li><p>One</p></li></ul>"
        "<ol><li><p>First</p></li></ol>"
    )
    clean = sanitize_body(html)
    for kept in (
        "<h2>Sub</h2>",
        "<strong>Bold</strong>",
        "<em>italic</em>",
        'href="https://example.org/report"',
        "<blockquote>",
        "<ul>",
        "<ol>",
    ):
        assert kept in clean


def test_a_second_h1_in_the_body_is_dropped_to_text():
    # The headline is the page's only h1.
    assert "<h1>" not in sanitize_body("<h1>Shouting</h1><p>x</p>")


def test_empty_editor_content_is_an_empty_body():
    assert sanitize_body("<p></p>") == ""


def test_body_splits_into_top_level_blocks():
    html = "<p>One <strong>bold</strong></p><h2>Two</h2><ul><li><p>a</p></li></ul>\n<p>Three</p>"
    assert split_blocks(html) == [
        "<p>One <strong>bold</strong></p>",
        "<h2>Two</h2>",
        "<ul><li><p>a</p></li></ul>",
        "<p>Three</p>",
    ]


def test_stray_text_before_the_first_block_stays_with_it():
    assert split_blocks("Lead-in <p>One</p><p>Two</p>") == ["Lead-in <p>One</p>", "<p>Two</p>"]


def test_a_long_body_splits_as_a_short_one_does():
    paragraphs = [f"<p>Paragraph {n} {'of a long read ' * 20}</p>" for n in range(200)]
    long_body = "".join(paragraphs)
    assert len(long_body) > 20_000
    assert split_blocks(long_body) == paragraphs
    assert split_blocks("".join(paragraphs[:3])) == paragraphs[:3]
