"""Who may do what on the desk, walked through real requests: every role
against every action, judged by what the person would notice afterwards
(the story as stored, the page the desk answers with, the message shown)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.formats import reader_time
from articles.models import Article, Correction, ScheduledUpdate
from articles.services import content, stories, workflow
from articles.services.stories import StoryEdit

from .factories import make_article, make_author, make_editor, make_reporter
from .forms import form_data

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD_URL = "/admin/articles/article/add/"
LIST_URL = "/admin/articles/article/"
UPDATES_URL = "/admin/articles/scheduledupdate/"
NEW_HEADLINE = "Rewritten headline for the desk"
ROLES = ["own reporter", "other reporter", "editor", "superuser", "staff without group", "guest"]
EDITORS = ["editor", "superuser"]

# How the desk turns a request away.
FORM_ERROR = "the form comes back with the reason"
FORBIDDEN = "403"
NOT_FOUND = "the story is not there for them"
LOGIN = "sent to the login page"


# People and stories ----------------------------------------------------------


@pytest.fixture
def author():
    return make_author("Asha Menon")


@pytest.fixture
def owner():
    """The reporter who wrote the stories under test."""
    return make_reporter("owning-reporter")


@pytest.fixture
def reading_desk():
    """An editor's browser, to read forms the acting person cannot open."""
    client = Client()
    client.force_login(make_editor("reading-editor"))
    return client


def person(role: str, owner):
    if role == "own reporter":
        return owner
    if role == "other reporter":
        return make_reporter("other-reporter")
    if role == "editor":
        return make_editor("acting-editor")
    if role == "superuser":
        return User.objects.create_superuser("chief", password="a-long-test-password")
    if role == "staff without group":
        return User.objects.create_user("intern", password="a-long-test-password", is_staff=True)
    return None


@pytest.fixture
def act_as(client, owner):
    """Log `client` in as the role; returns the user (None for a guest)."""

    def log_in(role: str):
        user = person(role, owner)
        if user is not None:
            client.force_login(user)
        return user

    return log_in


@pytest.fixture
def story(world, author, owner):
    """A publishable story (byline and body) written by `owner`."""

    def make(status=Status.DRAFT, **fields):
        if status == Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
        return make_article(world, authors=[author], status=status, created_by=owner, **fields)

    return make


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def posted_form(client, reading_desk, url, button, **changes) -> dict:
    """The story form as the acting person's browser posts it, with `changes`
    typed in and `button` pressed. When they cannot open the form, it is
    the editor's form, posted by hand."""
    page = client.get(url)
    html = (page if page.status_code == 200 else reading_desk.get(url)).content.decode()
    data = form_data(html, "article_form")
    data.update(changes)
    data[button] = "pressed"
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def stored(article) -> tuple:
    """What a user could notice of the story: its row, corrections, updates."""
    article = Article.objects.get(pk=article.pk)
    return (
        article.headline,
        article.status,
        article.published_at,
        article.version,
        article.corrections.count(),
        article.scheduled_updates.count(),
    )


def readers_see(article) -> bool:
    return Client().get(Article.objects.get(pk=article.pk).get_absolute_url()).status_code == 200


def assert_refused(response, how: str, reason: str = ""):
    if how == FORM_ERROR:
        assertContains(response, reason or 'class="errorlist nonfield"', status_code=200)
    elif how == FORBIDDEN:
        assert response.status_code == 403
    elif how == NOT_FOUND:
        assert response.status_code == 302 and response.url == "/admin/"
        assert any("doesn’t exist" in message for message in messages_of(response))
    else:
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def local(when) -> tuple[str, str]:
    when = timezone.localtime(when)
    return when.strftime("%Y-%m-%d"), when.strftime("%H:%M:%S")


# The story form's actions ----------------------------------------------------

AHEAD = timedelta(days=2)


def form_changes(action: str) -> dict:
    if action == "schedule":
        day, time = local(timezone.now() + AHEAD)
        return {"published_at_0": day, "published_at_1": time}
    if action == "schedule an update":
        day, time = local(timezone.now() + AHEAD)
        return {"headline": NEW_HEADLINE, "update_at_0": day, "update_at_1": time}
    if action == "add a correction":
        return {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version misspelt the minister's name.",
        }
    if action.startswith("edit"):
        return {"headline": NEW_HEADLINE}
    if action == "send back to draft":
        return {"note": "The second paragraph needs a source."}
    return {}


# action: (the story's state before, the button pressed)
FORM_ACTIONS = {
    "edit a draft": (Status.DRAFT, "_save"),
    "edit a published story": (Status.PUBLISHED, "_save"),
    "submit for review": (Status.DRAFT, "_submit"),
    "send back to draft": (Status.IN_REVIEW, "_return_to_draft"),
    "publish now": (Status.DRAFT, "_publish"),
    "schedule": (Status.DRAFT, "_schedule"),
    "unpublish": (Status.PUBLISHED, "_unpublish"),
    "schedule an update": (Status.PUBLISHED, "_schedule_update"),
    "add a correction": (Status.PUBLISHED, "_save"),
}


def assert_done(action: str, article, before):
    article.refresh_from_db()
    now = timezone.now()
    if action.startswith("edit"):
        assert article.headline == NEW_HEADLINE and article.status == before.status
    elif action == "submit for review":
        assert article.status == Status.IN_REVIEW
    elif action == "send back to draft":
        assert article.status == Status.DRAFT
    elif action == "publish now":
        assert article.status == Status.PUBLISHED and article.published_at <= now
        assert readers_see(article)
    elif action == "schedule":
        assert article.status == Status.PUBLISHED
        assert abs(article.published_at - (now + AHEAD)) < timedelta(minutes=1)
        assert not readers_see(article)
    elif action == "unpublish":
        assert article.status == Status.UNPUBLISHED and not readers_see(article)
    elif action == "schedule an update":
        assert article.headline == before.headline and article.status == Status.PUBLISHED
        update = article.scheduled_updates.pending().get()
        assert update.changes["headline"] == NEW_HEADLINE
    elif action == "add a correction":
        assert article.corrections.get().text.startswith("An earlier version")
        assert readers_see(article)


MATRIX = [(action, role) for action in FORM_ACTIONS for role in ROLES]
OWN_REPORTER_MAY = {"edit a draft", "submit for review"}
ALLOWED = [
    (action, role)
    for action, role in MATRIX
    if role in EDITORS or (role == "own reporter" and action in OWN_REPORTER_MAY)
]


def refusal_of(action: str, role: str) -> str:
    """How the desk turns `role` away from `action`."""
    if role == "guest":
        return LOGIN
    if role == "staff without group":
        return FORBIDDEN
    state = FORM_ACTIONS[action][0]
    if role == "other reporter" and state != Status.PUBLISHED:
        # Another reporter's drafts are not shown to them at all.
        return NOT_FOUND
    # A story they can see: the save is refused with the reason, their
    # typed text kept in the form.
    return FORM_ERROR


REFUSED = [(action, role, refusal_of(action, role)) for action, role in MATRIX]
REFUSED = [case for case in REFUSED if case[:2] not in ALLOWED]


@pytest.mark.parametrize("action, role", ALLOWED)
def test_story_form_does_what_the_role_may_do(client, reading_desk, act_as, story, action, role):
    act_as(role)
    state, button = FORM_ACTIONS[action]
    article = story(state)
    before = Article.objects.get(pk=article.pk)
    url = change_url(article)
    response = client.post(
        url, posted_form(client, reading_desk, url, button, **form_changes(action))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_done(action, article, before)
    assert not any("not" in message.split() for message in messages_of(response))


@pytest.mark.parametrize("action, role, how", REFUSED)
def test_story_form_refuses_what_the_role_may_not_do(
    client, reading_desk, act_as, story, action, role, how
):
    act_as(role)
    state, button = FORM_ACTIONS[action]
    article = story(state)
    before = stored(article)
    url = change_url(article)
    changes = form_changes(action)
    response = client.post(url, posted_form(client, reading_desk, url, button, **changes))
    assert_refused(response, how)
    assert stored(article) == before
    if how == FORM_ERROR and "headline" in changes:
        # What they typed is still there to copy.
        assertContains(response, NEW_HEADLINE)


def test_reporter_who_posts_the_publish_form_by_hand_is_refused(client, owner, story):
    client.force_login(owner)
    draft = story(Status.DRAFT)
    url = change_url(draft)
    form = form_data(client.get(url).content.decode(), "article_form")
    response = client.post(url, {**form, "headline": NEW_HEADLINE, "_publish": "Publish now"})
    assertContains(response, "Only editors can do that; submit the story for review instead.")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.published_at is None
    assert draft.headline != NEW_HEADLINE
    assert not readers_see(draft)


def test_reporter_sees_only_save_and_submit_on_their_draft(client, owner, story):
    client.force_login(owner)
    page = client.get(change_url(story(Status.DRAFT)))
    assertContains(page, 'name="_submit"')
    for button in ["_publish", "_schedule", "_unpublish", "_return_to_draft", "_schedule_update"]:
        assertNotContains(page, f'name="{button}"')


def test_editor_sees_publish_and_schedule_on_a_draft(reading_desk, story):
    page = reading_desk.get(change_url(story(Status.DRAFT)))
    for button in ["_submit", "_publish", "_schedule"]:
        assertContains(page, f'name="{button}"')


def test_reporter_cannot_slip_a_correction_into_their_own_draft(client, owner, reading_desk, story):
    client.force_login(owner)
    draft = story(Status.DRAFT)
    url = change_url(draft)
    client.post(
        url, posted_form(client, reading_desk, url, "_save", **form_changes("add a correction"))
    )
    assert not Correction.objects.exists()


def test_editor_is_told_why_a_story_without_a_byline_is_not_published(reading_desk, world):
    draft = make_article(world, status=Status.DRAFT)
    url = change_url(draft)
    form = posted_form(reading_desk, reading_desk, url, "_publish", headline="A new headline")
    response = reading_desk.post(url, form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["__all__"] == [
        "Add at least one author to the byline."
    ]
    assertContains(response, "A new headline")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.headline != "A new headline"


# Submissions: who sent a story, and withdrawing it -----------------------------


def submitted_by(reporter, world, author):
    """A draft of `reporter`'s, submitted by them through the workflow."""
    draft = make_article(world, authors=[author], status=Status.DRAFT, created_by=reporter)
    workflow.article_submit(article=draft, user=reporter)
    return draft


def test_the_desk_says_who_submitted_a_story_and_when(client, reading_desk, world, author):
    ravi = make_reporter("ravi", first_name="Ravi", last_name="Kumar")
    sent = submitted_by(ravi, world, author)
    when = reader_time(sent.revisions.latest("number").created_at)
    words = f"sent by Ravi Kumar {when}"
    assertContains(reading_desk.get("/admin/"), words)
    assertContains(reading_desk.get(change_url(sent)), f"In review: sent by Ravi Kumar, {when}")
    assertContains(
        reading_desk.get(LIST_URL),
        '<span class="state-badge state-in_review">In review</span>'
        f"<span class='state-detail'>sent by Ravi Kumar, {when}</span>",
        html=False,
    )
    client.force_login(ravi)
    assertContains(client.get(change_url(sent)), f"In review: sent by Ravi Kumar, {when}")


def test_the_story_list_finds_its_senders_in_one_query_however_many(reading_desk, world, author):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert reading_desk.get(LIST_URL).status_code == 200
        return len(queries)

    submitted_by(make_reporter("first"), world, author)
    few = count()
    for n in range(6):
        submitted_by(make_reporter(f"reporter-{n}"), world, author)
    assert count() == few


def test_a_reporter_reads_their_submitted_story_as_formatted_text(client, owner, story):
    submitted = story(
        Status.IN_REVIEW, body="<h2>The vote</h2><p>Counting <strong>began</strong>.</p>"
    )
    # Stored past the sanitiser, as an old row or a direct write might be.
    Article.objects.filter(pk=submitted.pk).update(
        body=submitted.body + '<p onclick="steal()">x</p><script>steal()</script>'
    )
    client.force_login(owner)
    page = client.get(change_url(submitted))
    assertContains(page, "<h2>The vote</h2><p>Counting <strong>began</strong>.</p>", html=False)
    assertNotContains(page, "&lt;h2&gt;")
    assertNotContains(page, "steal()")
    assertNotContains(page, "Mark updated")
    assertNotContains(page, "Substantive update")


# Withdrawing a submission ----------------------------------------------------


def withdraw_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/withdraw/"


def test_reporter_withdraws_their_submission_and_can_edit_it_again(client, owner, story):
    submitted = story(Status.IN_REVIEW)
    client.force_login(owner)
    page = client.get(change_url(submitted))
    assertContains(page, f'formaction="{withdraw_url(submitted)}"')
    assertNotContains(page, 'name="headline"')  # read-only while in review

    response = client.post(withdraw_url(submitted))
    assert response.status_code == 302
    assert messages_of(response) == [
        f"“{submitted.headline}” is back in your drafts: edit it and submit it again."
    ]
    assert Article.objects.get(pk=submitted.pk).status == Status.DRAFT
    assert submitted.revisions.latest("number").action == "Withdrawn from review"
    assertContains(client.get(change_url(submitted)), 'name="headline"')


@pytest.mark.parametrize(
    "role, status, reason",
    [
        ("other reporter", Status.IN_REVIEW, NOT_FOUND),
        ("editor", Status.IN_REVIEW, "editors send it back to draft"),
        ("own reporter", Status.DRAFT, "Only a story in review can be withdrawn."),
        ("own reporter", Status.PUBLISHED, "Only a story in review can be withdrawn."),
        ("staff without group", Status.IN_REVIEW, NOT_FOUND),
        ("guest", Status.IN_REVIEW, LOGIN),
    ],
)
def test_withdrawing_is_refused_to_all_but_the_reporter_of_a_story_in_review(
    client, act_as, story, role, status, reason
):
    target = story(status)
    before = stored(target)
    act_as(role)
    if status == Status.IN_REVIEW and role not in ("own reporter", "guest"):
        assert b"Withdraw from review" not in client.get(change_url(target)).content
    response = client.post(withdraw_url(target))
    assert stored(target) == before
    if reason == LOGIN:
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif reason == NOT_FOUND:
        assert response.status_code in (302, 403, 404)
        assert not any("back in your drafts" in m for m in messages_of(response))
    else:
        assert any(reason in message for message in messages_of(response))


# Creating a story ------------------------------------------------------------


def new_story_form(client, reading_desk, world, author, button) -> dict:
    return posted_form(
        client,
        reading_desk,
        ADD_URL,
        button,
        headline="Flood barriers hold on the river",
        standfirst="Engineers said the new walls kept the water out.",
        body="<p>The barriers held overnight.</p>",
        section=str(world.pk),
        **{"bylines-0-author": str(author.pk)},
    )


@pytest.mark.parametrize("role", ["own reporter", "editor", "superuser"])
def test_desk_staff_create_a_draft_that_is_theirs(
    client, reading_desk, act_as, world, author, role
):
    user = act_as(role)
    response = client.post(ADD_URL, new_story_form(client, reading_desk, world, author, "_save"))
    assert response.status_code == 302
    created = Article.objects.get()
    assert (created.status, created.created_by, created.published_at) == (Status.DRAFT, user, None)
    assert not readers_see(created)


@pytest.mark.parametrize("role, how", [("staff without group", FORBIDDEN), ("guest", LOGIN)])
def test_people_outside_the_desk_cannot_create_a_story(
    client, reading_desk, act_as, world, author, role, how
):
    act_as(role)
    response = client.post(ADD_URL, new_story_form(client, reading_desk, world, author, "_save"))
    assert_refused(response, how)
    assert not Article.objects.exists()


def test_reporter_writes_a_story_and_submits_it_at_once(client, reading_desk, owner, world, author):
    client.force_login(owner)
    response = client.post(ADD_URL, new_story_form(client, reading_desk, world, author, "_submit"))
    created = Article.objects.get()
    assert created.status == Status.IN_REVIEW and created.created_by == owner
    assert "was saved and submitted for review" in " ".join(messages_of(response))


@pytest.mark.parametrize("button", ["_publish", "_schedule"])
def test_reporter_cannot_publish_a_new_story_as_they_create_it(
    client, reading_desk, owner, world, author, button
):
    client.force_login(owner)
    response = client.post(ADD_URL, new_story_form(client, reading_desk, world, author, button))
    assert_refused(response, FORM_ERROR, "Only editors can do that")
    assert not Article.objects.exists()


# List actions ----------------------------------------------------------------

# action: (the story's state before, the state once done, the verb in the message)
LIST_ACTIONS = {
    "submit_for_review": (Status.DRAFT, Status.IN_REVIEW, "submitted for review"),
    "publish_now": (Status.DRAFT, Status.PUBLISHED, "published"),
    "unpublish": (Status.PUBLISHED, Status.UNPUBLISHED, "unpublished"),
}
LIST_ALLOWED = [(action, role) for action in LIST_ACTIONS for role in EDITORS] + [
    ("submit_for_review", "own reporter")
]


def run_list_action(client, action, article):
    return client.post(LIST_URL, {"action": action, "_selected_action": [str(article.pk)]})


@pytest.mark.parametrize("action, role", LIST_ALLOWED)
def test_story_list_action_is_done_for_a_role_allowed_to_do_it(client, act_as, story, action, role):
    act_as(role)
    before, after, verb = LIST_ACTIONS[action]
    article = story(before)
    response = run_list_action(client, action, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == after
    assert messages_of(response) == [f"1 stories {verb}."]


@pytest.mark.parametrize(
    "action, role",
    [
        ("publish_now", "own reporter"),
        ("unpublish", "own reporter"),
        ("unpublish", "other reporter"),
    ],
)
def test_story_list_tells_a_reporter_an_editors_action_was_refused(
    client, act_as, story, action, role
):
    act_as(role)
    before, _, verb = LIST_ACTIONS[action]
    article = story(before)
    state = stored(article)
    response = run_list_action(client, action, article)
    assert stored(article) == state
    # Editors' actions are not offered to reporters; posted anyway, the
    # desk does nothing with them.
    assert not any(verb in message for message in messages_of(response))


@pytest.mark.parametrize("action", ["submit_for_review", "publish_now"])
def test_story_list_action_cannot_reach_another_reporters_draft(client, act_as, story, action):
    act_as("other reporter")
    article = story(Status.DRAFT)
    state = stored(article)
    run_list_action(client, action, article)
    assert stored(article) == state


@pytest.mark.parametrize("action", list(LIST_ACTIONS))
@pytest.mark.parametrize("role, how", [("staff without group", FORBIDDEN), ("guest", LOGIN)])
def test_story_list_actions_are_closed_to_people_outside_the_desk(
    client, act_as, story, action, role, how
):
    act_as(role)
    article = story(LIST_ACTIONS[action][0])
    state = stored(article)
    assert_refused(run_list_action(client, action, article), how)
    assert stored(article) == state


# Restoring a revision --------------------------------------------------------


@pytest.fixture
def revised(story, owner):
    """A live story whose headline was changed after revision 1."""
    article = story(Status.PUBLISHED, headline="The first headline")
    content.revision_record(article=article, user=owner, action="Created")
    article.headline = "A later headline"
    article.save()
    content.revision_record(article=article, user=owner, action="Edited")
    return article


def restore(client, article, number=1):
    return client.post(f"/admin/articles/article/{article.pk}/history/{number}/restore/")


@pytest.mark.parametrize("role", EDITORS)
def test_editors_restore_an_earlier_revision(client, act_as, revised, role):
    act_as(role)
    response = restore(client, revised)
    assert response.status_code == 302 and response.url == change_url(revised)
    revised.refresh_from_db()
    assert revised.headline == "The first headline" and revised.status == Status.PUBLISHED
    assert messages_of(response) == ["Revision 1 restored as revision 3."]
    assert readers_see(revised)


@pytest.mark.parametrize(
    "role, how",
    [
        ("own reporter", FORBIDDEN),
        ("other reporter", FORBIDDEN),
        ("staff without group", FORBIDDEN),
        ("guest", LOGIN),
    ],
)
def test_restoring_a_revision_is_refused_to_everyone_but_editors(
    client, act_as, revised, role, how
):
    act_as(role)
    state = stored(revised)
    assert_refused(restore(client, revised), how)
    assert stored(revised) == state


def test_reporter_restoring_a_revision_of_their_own_draft_is_refused(client, owner, story):
    client.force_login(owner)
    draft = story(Status.DRAFT, headline="Draft headline one")
    content.revision_record(article=draft, user=owner, action="Created")
    draft.headline = "Draft headline two"
    draft.save()
    content.revision_record(article=draft, user=owner, action="Edited")
    assert_refused(restore(client, draft), FORBIDDEN)
    draft.refresh_from_db()
    assert draft.headline == "Draft headline two"


def test_a_reporter_asking_for_the_restore_page_is_sent_back_to_history(client, owner, revised):
    """The confirmation page offers a restore: editors only. The reporter
    is sent back to History, which they may read, and told why."""
    client.force_login(owner)
    response = client.get(f"/admin/articles/article/{revised.pk}/history/1/restore/")

    assert response.status_code == 302
    assert response.url == f"/admin/articles/article/{revised.pk}/history/"
    assert "Only editors can do that" in " ".join(messages_of(response))


def test_history_offers_restore_to_editors_only(client, reading_desk, owner, revised):
    history = f"/admin/articles/article/{revised.pk}/history/"
    assertContains(reading_desk.get(history), "/restore/")
    client.force_login(owner)
    assertNotContains(client.get(history), "/restore/")


# Cancelling a scheduled update ----------------------------------------------


@pytest.fixture
def pending_update(story, owner):
    article = story(Status.PUBLISHED)
    return ScheduledUpdate.objects.create(
        article=article,
        due_at=timezone.now() + AHEAD,
        changes={"headline": NEW_HEADLINE},
        created_by=owner,
    )


def cancel(client, update):
    return client.post(UPDATES_URL, {"action": "cancel", "_selected_action": [str(update.pk)]})


@pytest.mark.parametrize("role", EDITORS)
def test_editors_cancel_a_scheduled_update(client, act_as, pending_update, role):
    act_as(role)
    response = cancel(client, pending_update)
    assert response.status_code == 302
    pending_update.refresh_from_db()
    assert pending_update.cancelled_at is not None
    assert messages_of(response) == ["1 updates cancelled."]


@pytest.mark.parametrize(
    "role, how",
    [
        ("own reporter", FORBIDDEN),
        ("other reporter", FORBIDDEN),
        ("staff without group", FORBIDDEN),
        ("guest", LOGIN),
    ],
)
def test_cancelling_a_scheduled_update_is_refused_to_everyone_but_editors(
    client, act_as, pending_update, role, how
):
    act_as(role)
    assert_refused(cancel(client, pending_update), how)
    pending_update.refresh_from_db()
    assert ScheduledUpdate.objects.pending().filter(pk=pending_update.pk).exists()


def test_a_reporter_whose_draft_is_published_meanwhile_keeps_their_typing(client, owner, story):
    client.force_login(owner)
    draft = story(Status.DRAFT)
    url = change_url(draft)
    opened = form_data(client.get(url).content.decode(), "article_form")
    stories.article_desk_save(
        article=draft, user=make_editor("publishing-editor"), edit=StoryEdit(), action="publish"
    )
    response = client.post(url, {**opened, "headline": NEW_HEADLINE, "_save": "Save"})
    assertContains(response, "this story was changed while you were editing it")
    assertContains(response, NEW_HEADLINE)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.headline != NEW_HEADLINE


# The desk's words and its front page -----------------------------------------


def test_the_desk_speaks_of_stories_and_keeps_tags_under_its_own_heading(reading_desk):
    index = reading_desk.get("/admin/").content.decode()
    newsroom = index[
        index.index('class="app-articles') : index.index(
            "</table>", index.index('class="app-articles')
        )
    ]
    assert "Stories" in newsroom and 'href="/admin/taggit/tag/"' in newsroom
    assert "app-taggit" not in index
    assertContains(reading_desk.get(LIST_URL), "Select story to change")
    assertContains(reading_desk.get(ADD_URL), "Add story")


def test_the_dashboard_shows_the_desks_real_activity_as_each_may_see_it(
    client, reading_desk, owner, world, author
):
    own = submitted_by(owner, world, author)
    others = make_article(
        world,
        headline="Another reporter's draft",
        status=Status.DRAFT,
        created_by=make_reporter("someone-else"),
    )
    content.revision_record(article=others, user=others.created_by, action="Edited")
    board = reading_desk.get("/admin/")
    assertContains(board, "Recent activity on the desk")
    assertContains(board, f"Submitted for review, by {owner.username}")
    assertContains(board, "Another reporter&#x27;s draft")
    assertNotContains(board, "None available")

    client.force_login(owner)
    mine = client.get("/admin/")
    assertContains(mine, own.headline)
    assertNotContains(mine, "Another reporter&#x27;s draft")


# Notes between a reporter and the editors -------------------------------------


def test_an_editor_sends_a_story_back_with_a_note_its_reporter_then_reads(
    client, reading_desk, owner, story
):
    submitted = story(Status.IN_REVIEW)
    url = change_url(submitted)
    form = posted_form(
        reading_desk,
        reading_desk,
        url,
        "_return_to_draft",
        note="Needs a second source <b>now</b>.",
    )
    assert reading_desk.post(url, form).status_code == 302
    assert Article.objects.get(pk=submitted.pk).status == Status.DRAFT

    client.force_login(owner)
    board = client.get("/admin/")
    assertContains(board, "Needs a second source &lt;b&gt;now&lt;/b&gt;.")
    page = client.get(url)
    assertContains(page, "Needs a second source &lt;b&gt;now&lt;/b&gt;.")
    assertContains(page, "reading-editor")


def test_sending_a_story_back_without_a_note_is_refused_and_changes_nothing(reading_desk, story):
    submitted = story(Status.IN_REVIEW)
    before = stored(submitted)
    url = change_url(submitted)
    form = posted_form(reading_desk, reading_desk, url, "_return_to_draft", headline=NEW_HEADLINE)
    response = reading_desk.post(url, form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["note"] == [
        "Say what the story needs: the note goes to its reporter with it."
    ]
    assertContains(response, NEW_HEADLINE)
    assert stored(submitted) == before
    assert not submitted.notes.exists()


def test_a_reporter_answers_on_their_story_in_review(client, reading_desk, owner, story):
    submitted = story(Status.IN_REVIEW)
    client.force_login(owner)
    page = client.get(change_url(submitted))
    assertContains(page, f'formaction="/admin/articles/article/{submitted.pk}/notes/"')
    response = client.post(
        f"/admin/articles/article/{submitted.pk}/notes/", {"note_text": "Added the quote."}
    )
    assert messages_of(response) == ["Your note is added to the story."]
    assertContains(reading_desk.get("/admin/"), "Added the quote.")
    empty = client.post(f"/admin/articles/article/{submitted.pk}/notes/", {"note_text": "  "})
    assert messages_of(empty)[-1] == "Write the note first."
    # Too long, with the line breaks a browser sends: refused, and shown
    # again as typed.
    typed = "A long reply.\r\n" * 200
    client.post(f"/admin/articles/article/{submitted.pk}/notes/", {"note_text": typed})
    again = client.get(change_url(submitted))
    assertContains(again, "Keep a note under 2,000 characters.")
    assert again.context["note_text"] == typed
    assert submitted.notes.count() == 1
    # Within the limit once each line break counts as one character.
    fits = "Line.\r\n" * 333
    client.post(f"/admin/articles/article/{submitted.pk}/notes/", {"note_text": fits})
    assert submitted.notes.count() == 2


def test_notes_stay_between_a_storys_reporter_and_the_editors(client, reading_desk, owner, story):
    live = story(Status.PUBLISHED)
    workflow.note_add(article=live, user=owner, text="Check the figures in paragraph two.")
    other = make_reporter("other-reporter")
    client.force_login(other)
    # They can read the live story, not the notes on it, and cannot add one.
    page = client.get(change_url(live))
    assert page.status_code == 200
    assertNotContains(page, "Check the figures")
    assertNotContains(client.get("/admin/"), "Check the figures")
    client.post(f"/admin/articles/article/{live.pk}/notes/", {"note_text": "Mine too."})
    assert live.notes.count() == 1
