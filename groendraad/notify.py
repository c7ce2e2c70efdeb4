"""Tell the coordinator when a run fails: a webhook (e.g. Microsoft Teams) and/or e-mail.

Configured in the institution's YAML; like source credentials, the file only names
the environment variables that hold secrets (a webhook URL is a secret: whoever has
it can post)::

    notifications:
      webhook_url_env: TEAMS_WEBHOOK_URL     # POSTs {"text": ...} (Teams, Slack, ...)
      email:
        smtp_host: smtp.example.nl
        port: 587                            # STARTTLS unless starttls: false
        from: groendraad@example.nl
        to: [duurzaamheid@example.nl]
        username_env: SMTP_USERNAME          # optional, with password_env
        password_env: SMTP_PASSWORD

A message never carries a secret: every value of an environment variable the
configuration names (source credentials, webhook URL, SMTP login) is masked before
sending. A notification that cannot be delivered is reported, never raised: it must
not hide the failure it reports.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

import httpx

from groendraad.config import Config

log = logging.getLogger(__name__)
TIMEOUT_S = 10.0
MASK = "***"


def send_failure(config: Config, subject: str, body: str) -> list[str]:
    """Send ``subject`` and ``body`` to every configured channel; return what happened.

    Each entry reads like ``"webhook TEAMS_WEBHOOK_URL: sent"`` or ``"email to
    a@b.nl: failed (SMTPAuthenticationError ...)"``; the list is empty when nothing is
    configured.
    """
    settings = config.raw.get("notifications") or {}
    subject, body = redact(subject, config), redact(body, config)
    outcomes = []
    if settings.get("webhook_url_env"):
        outcomes.append(_webhook(str(settings["webhook_url_env"]), subject, body))
    if settings.get("email"):
        outcomes.append(_email(settings["email"], subject, body))
    for outcome in outcomes:
        log.info("notification %s", outcome)
    return outcomes


def redact(text: str, config: Config) -> str:
    """``text`` with the value of every secret the configuration names masked."""
    for value in sorted(_secrets(config), key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def _secrets(config: Config) -> set[str]:
    names: set[object] = {
        v for source in config.sources.values() for v in source.credential_env.values()
    }
    settings = config.raw.get("notifications") or {}
    email = settings.get("email") or {}
    names |= {settings.get("webhook_url_env"), email.get("username_env"), email.get("password_env")}
    values = {_env(name) for name in names}
    return {v for v in values if len(v) >= 4}


def _webhook(variable: str, subject: str, body: str) -> str:
    where = f"webhook {variable}"
    url = os.environ.get(variable)
    if not url:
        return f"{where}: not sent (environment variable {variable} is not set)"
    try:
        response = httpx.post(url, json={"text": f"**{subject}**\n\n{body}"}, timeout=TIMEOUT_S)
    except httpx.HTTPError as exc:  # the URL is the secret: name the variable only
        return f"{where}: failed ({type(exc).__name__})"
    if response.is_error:
        return f"{where}: failed (HTTP {response.status_code})"
    return f"{where}: sent"


def _email(settings: dict[str, Any], subject: str, body: str) -> str:
    recipients = settings.get("to") or []
    recipients = [recipients] if isinstance(recipients, str) else list(recipients)
    where = f"email to {', '.join(recipients) or '(nobody)'}"
    if not recipients or not settings.get("smtp_host") or not settings.get("from"):
        return f"{where}: not sent (email needs smtp_host, from and to)"
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, settings["from"], recipients
    message.set_content(body)
    port = int(settings.get("port", 587))
    try:
        with smtplib.SMTP(str(settings["smtp_host"]), port, timeout=TIMEOUT_S) as smtp:
            if settings.get("starttls", port == 587):
                smtp.starttls(context=ssl.create_default_context())  # verifies the host
            if settings.get("username_env"):
                smtp.login(_env(settings["username_env"]), _env(settings.get("password_env")))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{where}: failed ({type(exc).__name__})"
    return f"{where}: sent"


def _env(name: object) -> str:
    """The value of the environment variable ``name`` ("" when unset or unnamed)."""
    return os.environ.get(str(name), "") if name else ""
