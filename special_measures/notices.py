"""Who hears of a screening hit, and who owns special measures' cases on a provider
(docs/architecture.md §12).

A hit on a provider's party reaches the owners of the provider's open cases
(core.signals.case_owners_asked); when nobody owns one, every active analyst, since a
possible match against a measure in force must not go unseen (§7.307). The email gives the run's
number, the measures' references, how many hits and the date, never a party's or the provider's
name."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from core import clocks
from core.auth.models import User
from core.auth.rules import Role
from core.auth.services import active_users
from core.db import db
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for
from core.ownership import registry
from core.ownership.services import owners_of_open
from core.wording import counted
from core.workflow.rules import open_states
from intake.models import Provider
from intake.notices import case_owners as owners_of_provider
from special_measures import rules
from special_measures.models import ScreeningHit, ScreeningRun, SpecialMeasureCase

SCREENING_HIT = register_kind(
    NoticeKind(
        "screening_hit",
        "A screening hit on a provider whose case I own",
        "the owners of the provider's open cases, or every analyst when none",
        citation="§7.307",
    )
)


MATCHES = "possible matches"


@functools.cache
def owned_kind() -> registry.OwnedKind:
    """Special-measure cases as the kernel's ownership knows them (registered by init_app)."""
    from special_measures import views

    return registry.OwnedKind(
        "special_measure", "Special-measure cases", SpecialMeasureCase,
        registry.open_values(open_states(rules.ALLOWED)),
        reference=lambda case: case.reference, subject_label=lambda case: case.subject_label,
        link=views.case_link, list_endpoint="special_measures.cases",
        module="special_measures",
    )  # fmt: skip


def case_owners(*, provider_id: int, **_: object) -> list[User]:
    """The owners of the open special-measure cases the provider referred (§7.307(a)(2))."""
    return owners_of_open(owned_kind(), SpecialMeasureCase.referring_provider_id == provider_id)


def hits_found(run: ScreeningRun, hits: Sequence[ScreeningHit]) -> None:
    """Tell of the hits a run has just added."""
    if not hits:
        return
    owners = owners_of_provider(run.provider_id)
    references = sorted({hit.case.reference for hit in hits})
    provider = db.session.get(Provider, run.provider_id)
    assert provider is not None
    notify(
        owners or active_users(Role.ANALYST),
        SCREENING_HIT.name,
        title=f"Screening run {run.id} found {counted(len(hits), 'possible match', MATCHES)} for "
        f"{provider.legal_name} against {', '.join(references)}",
        link=path_for("special_measures.screening_run", run_id=run.id),
        subject=("screening_run", run.id),
        mail_context={
            "run_id": run.id,
            "hit_count": len(hits),
            "references": references,
            "relevant_on": run.relevant_on,
            "citation": SCREENING_HIT.citation,
            "owned": bool(owners),
        },
    )


register_sample(
    SCREENING_HIT.name,
    lambda: {
        "run_id": 402,
        "hit_count": 2,
        "references": ["SM-2026-0007"],
        "relevant_on": clocks.office_today(),
        "citation": SCREENING_HIT.citation,
        "owned": False,
    },
)
