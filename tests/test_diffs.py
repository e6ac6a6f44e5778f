"""How History shows what changed: the body block by block, words only inside
the blocks that changed, and never more work than the change calls for."""

import math

from articles import diffs

from .factories import body, numbered, paragraph


def test_a_moved_paragraph_shows_as_removed_and_added():
    one, two, three, four = numbered(4)
    shown = diffs.body_diff(body(one, two, three, four), body(one, three, four, two))
    assert shown == f"{one}\n\n<del>{two}</del>\n\n{three}\n\n{four}\n\n<ins>{two}</ins>"


def test_an_inserted_paragraph_does_not_mark_the_following_ones_as_changed():
    one, two, three = numbered(3)
    added = "Officials said schools would stay shut on Monday."
    shown = diffs.body_diff(body(one, two, three), body(one, added, two, three))
    assert shown == f"{one}\n\n<ins>{added}</ins>\n\n{two}\n\n{three}"


def test_a_removed_paragraph_shows_whole_and_the_rest_unmarked():
    one, two, three = numbered(3)
    shown = diffs.body_diff(body(one, two, three), body(one, three))
    assert shown == f"{one}\n\n<del>{two}</del>\n\n{three}"


def test_an_edited_paragraph_is_marked_word_by_word():
    one, two, three = numbered(3)
    edited = two.replace("council", "mayor", 1)
    shown = diffs.body_diff(body(one, two, three), body(one, edited, three))
    assert shown.count("<del>") == shown.count("<ins>") == 1
    assert "Paragraph 2: the <del>council</del><ins>mayor</ins> weighed" in shown


def test_an_edit_beside_an_added_paragraph_is_still_marked_word_by_word():
    one, two, three = numbered(3)
    added = "Officials said schools would stay shut on Monday."
    edited = two.replace("council", "mayor", 1)
    shown = diffs.body_diff(body(one, two, three), body(one, added, edited, three))
    assert f"<ins>{added}</ins>\n\nParagraph 2: the <del>council</del><ins>mayor</ins>" in shown


def test_a_rewritten_paragraph_shows_whole_rather_than_matching_stray_words():
    old = "Rain arrived in the south on Tuesday, a week early."
    new = "Schools in the city will stay shut until further notice."
    shown = diffs.body_diff(body(old), body(new))
    assert shown == f"<del>{old}</del>\n\n<ins>{new}</ins>"


def test_a_block_too_large_for_a_word_diff_shows_whole_old_and_new():
    # Changed at both ends, so nothing in it is common to both versions.
    words = math.isqrt(diffs.WORD_PAIRS_LIMIT) + 10
    old = paragraph(1, words)
    new = "Revised " + old.removesuffix(".") + " today."
    shown = diffs.body_diff(body(old), body(new))
    assert shown == f"<del>{old}</del><ins>{new}</ins>"


def test_a_long_block_within_the_bound_is_still_diffed_word_by_word():
    words = math.isqrt(diffs.WORD_PAIRS_LIMIT) - 10
    old = paragraph(1, words)
    new = "Revised " + old.removesuffix(".") + " today."
    shown = diffs.body_diff(body(old), body(new))
    assert shown.startswith("<ins>Revised </ins>Paragraph 1: the council")
    assert shown.endswith("once more <del>and.</del><ins>and today.</ins>")


def test_a_field_too_large_for_a_word_diff_shows_whole_old_and_new():
    words = math.isqrt(diffs.WORD_PAIRS_LIMIT) + 10
    old = paragraph(1, words)
    new = "Revised " + old.removesuffix(".") + " today."
    [row] = diffs.diff({"standfirst": old}, {"standfirst": new})
    assert row["html"] == f"<del>{old}</del><ins>{new}</ins>"


def test_a_one_word_change_deep_in_a_huge_paragraph_is_still_marked():
    # Only what lies between the common start and end counts to the bound.
    old = paragraph(1, 10 * diffs.WORD_PAIRS_LIMIT)
    new = old.replace("figures", "accounts", 1)
    shown = diffs.body_diff(body(old), body(new))
    assert "the <del>figures</del><ins>accounts</ins> once" in shown


def test_long_runs_of_unchanged_paragraphs_fold_around_the_change():
    paragraphs = numbered(20)
    edited = [*paragraphs]
    edited[9] = paragraphs[9].replace("council", "mayor", 1)
    shown = diffs.body_diff(body(*paragraphs), body(*edited))
    assert shown.startswith('<span class="diff-folded">… 8 unchanged paragraphs …</span>')
    assert shown.endswith('<span class="diff-folded">… 9 unchanged paragraphs …</span>')
    assert "Paragraph 9:" in shown and "Paragraph 11:" in shown
    assert "Paragraph 8:" not in shown and "Paragraph 12:" not in shown


def test_a_short_run_of_unchanged_paragraphs_between_changes_is_shown():
    paragraphs = numbered(4)
    edited = [text.replace("council", "mayor", 1) for text in paragraphs]
    edited[1:3] = paragraphs[1:3]
    shown = diffs.body_diff(body(*paragraphs), body(*edited))
    assert "folded" not in shown
    assert shown.count("<ins>mayor</ins>") == 2


def test_a_body_changed_throughout_past_the_block_bound_pairs_blocks_in_order():
    count = math.isqrt(diffs.BLOCK_PAIRS_LIMIT) + 1
    old = [f"Item {number} on the agenda." for number in range(count)]
    new = [*old]
    new[0] = "Item 0 on the revised agenda."
    new[-1] = f"Item {count - 1} on the final agenda."
    shown = diffs.body_diff(body(*old), body(*new))
    assert "<del>" not in shown and shown.count("<ins>") == 2
    assert "Item 0 on the<ins> revised</ins> agenda." in shown


def test_markup_typed_as_text_is_escaped():
    old = body("Rain arrived on Tuesday.")
    new = body("Rain &lt;script&gt;alert(1)&lt;/script&gt; arrived on Tuesday.")
    shown = diffs.body_diff(old, new)
    assert "<script>" not in shown
    assert "Rain<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins> arrived" in shown


def test_a_changed_headline_shows_whole_before_and_after():
    rows = diffs.diff({"headline": "Monsoon reaches Kerala"}, {"headline": "Monsoon reaches Goa"})
    assert rows == [
        {
            "label": "Headline",
            "html": '<span class="diff-before">Before: <del>Monsoon reaches Kerala</del></span>\n'
            '<span class="diff-after">After: <ins>Monsoon reaches Goa</ins></span>',
        }
    ]


def test_subheadings_and_quotes_say_what_they_are_and_keep_their_word_marks():
    one = paragraph(1)
    before = (
        body(one) + "<h2>Shade is infrastructure</h2><blockquote><p>Cool roofs.</p></blockquote>"
    )
    after = body(one) + "<h2>Shade is public health</h2><blockquote><p>Cool roofs.</p></blockquote>"
    shown = diffs.body_diff(before, after)
    assert "Subheading: Shade is <del>infrastructure</del><ins>public health</ins>" in shown
    assert "Quote: Cool roofs." in shown


def test_a_line_emptied_says_so_after():
    rows = diffs.diff({"dateline": "Kochi"}, {"dateline": ""})
    assert rows[0]["html"] == (
        '<span class="diff-before">Before: <del>Kochi</del></span>\n'
        '<span class="diff-after">After: (none)</span>'
    )
