"""Links to the things the kernel's records are about (a provider, a filing, a case), answered
through ``core.signals.subject_link_asked`` by the module owning each kind of subject, so that
the kernel never imports a module."""

from __future__ import annotations

from urllib.parse import urlsplit

from core import signals


def url_of(subject_type: str, subject_id: object) -> str | None:
    links = signals.answers(
        signals.subject_link_asked, subject_type=subject_type, subject_id=str(subject_id)
    )
    return links[0] if links else None


def path_of(subject_type: str, subject_id: object) -> str | None:
    """The path of a subject's page, as a notice keeps it (``core.notifications`` makes it
    absolute): ``url_of`` gives a path in a request and a full address outside one where
    ``SERVER_NAME`` is set; where it is not (the job worker), the page cannot be named."""
    try:
        url = url_of(subject_type, subject_id)
    except RuntimeError:
        return None
    return urlsplit(url).path if url else None
