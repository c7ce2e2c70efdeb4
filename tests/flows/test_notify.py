"""Failure notifications (groendraad.notify): a Teams-style webhook and e-mail.

Both against loopback receivers; no message may carry a secret the configuration names.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from groendraad import notify
from groendraad.config import load_config

from .receivers import smtp_receiver, webhook_receiver

CONFIG = """
institution: {id: test-umc, name: Test UMC}
sources:
  energy:
    base_url: http://127.0.0.1:9/energy
    credentials: {token: TEST_ENERGY_TOKEN}
notifications:
"""


def config_with(tmp_path: Path, notifications: str):
    path = tmp_path / "groendraad.yaml"
    path.write_text(CONFIG + notifications, encoding="utf-8")
    return load_config(path)


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_ENERGY_TOKEN", "tok-SECRET-energy")
    monkeypatch.setenv("TEST_SMTP_USER", "mailer")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pw-SECRET-smtp")


def test_the_webhook_gets_the_message_as_teams_json_without_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_with(tmp_path, "  webhook_url_env: TEST_WEBHOOK\n")
    with webhook_receiver() as (url, received):
        monkeypatch.setenv("TEST_WEBHOOK", url)
        body = f"energy: {url} said no; token tok-SECRET-energy was refused"
        outcomes = notify.send_failure(config, "Run monthly 2025-10 failed", body)
    assert outcomes == ["webhook TEST_WEBHOOK: sent"]
    (payload,) = received
    assert set(payload) == {"text"}
    assert "Run monthly 2025-10 failed" in payload["text"] and "said no" in payload["text"]
    assert "tok-SECRET-energy" not in payload["text"] and "secret-key-123" not in payload["text"]


def test_a_webhook_that_fails_is_reported_without_its_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_with(tmp_path, "  webhook_url_env: TEST_WEBHOOK\n")
    with webhook_receiver(status=500) as (url, _received):
        monkeypatch.setenv("TEST_WEBHOOK", url)
        assert notify.send_failure(config, "s", "b") == ["webhook TEST_WEBHOOK: failed (HTTP 500)"]
    monkeypatch.setenv("TEST_WEBHOOK", "http://127.0.0.1:9/hook/secret-key-123")
    (outcome,) = notify.send_failure(config, "s", "b")
    assert outcome == "webhook TEST_WEBHOOK: failed (ConnectError)"
    monkeypatch.delenv("TEST_WEBHOOK")
    assert "not set" in notify.send_failure(config, "s", "b")[0]


def test_email_is_sent_with_login_and_without_secrets_in_the_text(tmp_path: Path) -> None:
    with smtp_receiver() as (port, received):
        config = config_with(
            tmp_path,
            "  email:\n"
            f"    smtp_host: 127.0.0.1\n    port: {port}\n    starttls: false\n"
            "    from: groendraad@test.nl\n    to: [coordinator@test.nl, facilitair@test.nl]\n"
            "    username_env: TEST_SMTP_USER\n    password_env: TEST_SMTP_PASSWORD\n",
        )
        outcomes = notify.send_failure(
            config, "Run monthly 2025-10 failed", "waste: afval.csv line 7: bad pw-SECRET-smtp"
        )
    assert outcomes == ["email to coordinator@test.nl, facilitair@test.nl: sent"]
    (mail,) = received
    assert base64.b64decode(mail["auth"]) == b"\0mailer\0pw-SECRET-smtp"
    assert len(mail["rcpt"]) == 2
    assert "Subject: Run monthly 2025-10 failed" in mail["data"]
    assert "waste: afval.csv line 7" in mail["data"] and "pw-SECRET-smtp" not in mail["data"]


def test_nothing_configured_sends_nothing_and_an_unreachable_smtp_is_reported(
    tmp_path: Path,
) -> None:
    assert notify.send_failure(config_with(tmp_path, "  {}\n"), "s", "b") == []
    config = config_with(
        tmp_path,
        "  email: {smtp_host: 127.0.0.1, port: 9, starttls: false, from: a@b.nl, to: c@d.nl}\n",
    )
    assert notify.send_failure(config, "s", "b") == [
        "email to c@d.nl: failed (ConnectionRefusedError)"
    ]
