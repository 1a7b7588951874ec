"""Handing a message to the mail server (SMTP, with the standard library), or, where no server
is configured (the embedded set-up), keeping it for the administrators' development outbox."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from core.db import utcnow


@dataclass(frozen=True)
class Handed:
    """What the server said when it took the message; ``kept`` when no server is configured."""

    answer: str
    message_id: str
    kept: bool = False


class MailNotTaken(RuntimeError):
    """The server refused the message or could not be reached; the text is its answer."""


def mail_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The mail server's settings from the environment (the README's Configuration)."""
    use_ssl = env.get("MAIL_USE_SSL", "0") == "1"
    return {
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "465" if use_ssl else "25")),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": env.get("MAIL_SENDER", "OICTS Case System <no-reply@oicts.example>"),
        "MAIL_TIMEOUT_SECONDS": float(env.get("MAIL_TIMEOUT_SECONDS", "20")),
    }


def build_message(
    *, sender: str, to_address: str, subject: str, text: str, html: str, domain: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=domain)
    # Replies to a system address reach nobody; the letter says whom to write to instead.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def hand_over(message: EmailMessage, config: Mapping[str, Any]) -> Handed:
    """Give the message to the configured server; raise ``MailNotTaken`` with its answer when
    it refuses or cannot be reached."""
    message_id = str(message["Message-ID"])
    if not config.get("MAIL_SERVER"):
        return Handed("kept in the development outbox (no MAIL_SERVER is set)", message_id, True)
    try:
        with _connect(config) as server:
            if config["MAIL_USE_TLS"]:
                server.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            code, reply = _send(server, message)
    except smtplib.SMTPResponseException as error:
        raise MailNotTaken(f"{error.smtp_code} {_text(error.smtp_error)}") from error
    except smtplib.SMTPRecipientsRefused as error:
        raise MailNotTaken(_refusals(error.recipients)) from error
    except (smtplib.SMTPException, OSError) as error:
        raise MailNotTaken(f"{type(error).__name__}: {error}") from error
    return Handed(f"accepted by {config['MAIL_SERVER']} ({code} {_text(reply)})", message_id)


def _send(server: smtplib.SMTP, message: EmailMessage) -> tuple[int, bytes]:
    """Envelope and data step by step, so that the log keeps the server's answer to the data
    (its queue reference), which ``send_message`` does not return."""
    server.ehlo_or_helo_if_needed()
    sender, recipient = parseaddr(str(message["From"]))[1], str(message["To"])
    code, reply = server.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = server.rcpt(recipient)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    # Lines end in CRLF on the wire (RFC 5321 §2.3.8); smtplib mends only text, not bytes.
    code, reply = server.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return code, reply


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    server_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    return server_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
    )


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _refusals(recipients: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{address}: {code} {_text(reply)}" for address, (code, reply) in recipients.items()
    )
