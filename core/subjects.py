"""Links to the things the kernel's records are about (a provider, a filing, a case), which
modules register at start-up, so that the kernel never imports a module."""

from __future__ import annotations

from collections.abc import Callable

SubjectLink = Callable[[str], str]
_links: dict[str, SubjectLink] = {}


def register_link(subject_type: str, link: SubjectLink) -> None:
    _links[subject_type] = link


def url_of(subject_type: str, subject_id: object) -> str | None:
    link = _links.get(subject_type)
    return link(str(subject_id)) if link else None
