"""Links to the things the kernel's records are about (a provider, a filing, a case), answered
through ``core.signals.subject_link_asked`` by the module owning each kind of subject, so that
the kernel never imports a module."""

from __future__ import annotations

from core import signals


def url_of(subject_type: str, subject_id: object) -> str | None:
    links = signals.answers(
        signals.subject_link_asked, subject_type=subject_type, subject_id=str(subject_id)
    )
    return links[0] if links else None
