"""The analyst given a case is told (docs/architecture.md §16): in the inbox with the case's
label, by email with only the kind of case and its reference (32 CFR 2002.20), never the
provider's name. Nobody is told of a case they took or gave themselves."""

from __future__ import annotations

from typing import Any

from core import subjects
from core.auth.models import User
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for
from core.ownership.registry import OwnedKind

CASE_ASSIGNED = register_kind(
    NoticeKind("case_assigned", "A case was given to me", "the case's new owner")
)


def tell_new_owner(kind: OwnedKind, case: Any, owner: User | None, *, actor: User | None) -> None:
    if owner is None or (actor is not None and actor.id == owner.id):
        return
    reference = kind.reference(case)
    given_by = actor.full_name if actor else "the system"
    notify(
        [owner],
        CASE_ASSIGNED.name,
        title=f"{kind.label} {reference} ({kind.subject_label(case)}) is yours, from {given_by}.",
        link=subjects.path_of(kind.deadline_subject_type, case.id) or path_for("dashboard.index"),
        subject=(kind.deadline_subject_type, case.id),
        mail_context={"case_kind": kind.label, "reference": reference, "given_by": given_by},
    )


register_sample(
    CASE_ASSIGNED.name,
    lambda: {"case_kind": "Compliance assessment", "reference": "AS-2026-0042",
             "given_by": "Priya Raman"},
)  # fmt: skip
