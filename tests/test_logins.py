"""Failed desk logins are throttled per account and per address, through the
real login page; superusers lift a lockout on the desk."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from .factories import make_editor, make_reporter

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "a-long-test-password"
ATTACKER = "203.0.113.66"


def log_in(client, username: str, password: str, address: str = ATTACKER):
    return client.post(
        f"{LOGIN_URL}?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, address: str = ATTACKER):
    for _ in range(times):
        log_in(client, username, "not-the-password", address)


def test_an_account_is_locked_after_five_wrong_passwords(client):
    make_editor(username="asha")
    for _ in range(4):
        assert log_in(client, "asha", "not-the-password").status_code == 200
    assert log_in(client, "asha", "not-the-password").status_code == 429

    response = log_in(client, "asha", PASSWORD)

    assert response.status_code == 429
    assertContains(
        response, "this account or this address is locked for 15 minutes", status_code=429
    )
    assertContains(response, "ask an administrator", status_code=429)
    assertContains(response, "Newsroom Daily desk", status_code=429)
    assert not is_logged_in(client)


def test_an_account_guessed_from_many_addresses_is_locked_everywhere(client):
    make_editor(username="asha")
    for number in range(5):
        log_in(client, "asha", "not-the-password", address=f"198.51.100.{number}")

    assert log_in(client, "asha", PASSWORD, address="192.0.2.200").status_code == 429
    assert not is_logged_in(client)


def test_an_address_trying_many_accounts_is_locked(client):
    make_editor(username="asha")
    for number in range(5):
        log_in(client, f"guess-{number}", "not-the-password")

    assert log_in(client, "asha", PASSWORD).status_code == 429
    assert not is_logged_in(client)


def test_a_different_address_still_logs_in_to_a_different_account(client):
    make_editor(username="asha")
    make_editor(username="vikram")
    fail(client, "asha", 5)

    response = log_in(client, "vikram", PASSWORD, address="192.0.2.10")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_superuser_lifting_the_lockout_on_the_desk_lets_the_person_log_in(client, admin_client):
    make_editor(username="asha")
    fail(client, "asha", 5)
    desk = admin_client

    records = desk.get("/admin/axes/accessattempt/?locked_out=yes")
    assertContains(records, "asha")
    attempt = AccessAttempt.objects.get(username="asha")
    delete_url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assertContains(desk.get(delete_url), "Are you sure you want to delete")
    assert desk.post(delete_url, {"post": "yes"}).status_code == 302

    assert log_in(client, "asha", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client):
    make_editor(username="asha")
    fail(client, "asha", 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1), tick=False):
        assert log_in(client, "asha", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_trying_again_while_locked_starts_the_cool_off_again(client):
    make_editor(username="asha")
    start = timezone.now()
    fail(client, "asha", 5)

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert log_in(client, "asha", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert log_in(client, "asha", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=35, seconds=1), tick=False):
        assert log_in(client, "asha", PASSWORD).status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    make_editor(username="asha")
    for number in range(5):
        client.post(
            LOGIN_URL,
            {"username": f"guess-{number}", "password": "x"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert log_in(client, "asha", PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_address_is_locked_alone(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    make_editor(username="asha")
    for number in range(5):
        client.post(
            LOGIN_URL,
            {"username": f"guess-{number}", "password": "x"},
            REMOTE_ADDR=proxy,
            # The left entry is the client's own claim; the proxy added the right one.
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, {ATTACKER}",
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    colleague = client.post(
        f"{LOGIN_URL}?next=/admin/",
        {"username": "asha", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.77",
    )
    assert colleague.status_code == 302


@pytest.mark.parametrize("make_staff", [make_editor, make_reporter])
def test_editors_and_reporters_cannot_open_the_login_records(client, make_staff):
    client.force_login(make_staff())

    assertNotContains(client.get("/admin/"), "/admin/axes/")
    for url in ("/admin/axes/accessattempt/", "/admin/axes/accesslog/"):
        assert client.get(url).status_code == 403


def test_staff_granted_axes_permissions_still_cannot_open_the_login_records(client):
    editor = make_editor()
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    client.force_login(editor)

    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/admin/axes/accesslog/").status_code == 403


def test_superusers_find_the_login_records_on_the_desk(admin_client):
    board = admin_client.get("/admin/")
    assertContains(board, "/admin/axes/accessattempt/")
    assertContains(board, "/admin/axes/accesslog/")
