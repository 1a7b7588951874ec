"""Casework's kinds of case, as the kernel's ownership knows them (core.ownership.registry), and
who owns a provider's open cases, to be told of what arrives for them
(core.signals.case_owners_asked): the owner of each open assessment, penalty and reseller
oversight (docs/architecture.md §16)."""

from __future__ import annotations

import functools

from casework import rules
from casework.models import Assessment
from casework.oversight import rules as oversight
from casework.oversight.models import ResellerOversight
from casework.penalties import rules as penalty_rules
from casework.penalties.models import PenaltyCase
from core.auth.models import User
from core.ownership import registry
from core.ownership.services import owners_of_open
from core.workflow.rules import open_states


@functools.cache
def owned_kinds() -> tuple[registry.OwnedKind, ...]:
    """The kinds of case casework owns, each with its page and list (registered by init_app)."""
    from casework import views
    from casework.oversight import views as oversight_views
    from casework.penalties import views as penalty_views

    def provider_name(case: Assessment | ResellerOversight) -> str:
        return case.provider.legal_name

    return (
        registry.OwnedKind(
            "assessment", "Assessments", Assessment,
            registry.open_values(open_states(rules.ASSESSMENT_ALLOWED)),
            reference=lambda case: case.reference, subject_label=provider_name,
            link=views.assessment_link, list_endpoint="casework.assessments", module="casework",
        ),
        registry.OwnedKind(
            "penalty", "Penalties", PenaltyCase,
            registry.open_values(open_states(penalty_rules.PENALTY_ALLOWED)),
            reference=lambda case: case.reference,
            subject_label=lambda case: case.respondent_name,
            link=penalty_views.penalty_link, list_endpoint="casework.penalties", module="casework",
        ),
        registry.OwnedKind(
            "oversight", "Reseller oversight", ResellerOversight,
            registry.open_values(oversight.OVERSIGHT_OPEN),
            reference=lambda case: f"Oversight {case.id}",
            subject_label=lambda case: f"{case.provider.legal_name}: {case.reseller.name}",
            link=oversight_views.oversight_link, list_endpoint="casework.oversight_list",
            subject_type="reseller_oversight", module="casework",
        ),
    )  # fmt: skip


def case_owners(*, provider_id: int, **_: object) -> list[User]:
    """The owners of the provider's open assessments, penalties and reseller oversights."""
    owners: list[User] = []
    for kind in owned_kinds():
        owners += owners_of_open(kind, kind.model.provider_id == provider_id)  # type: ignore[attr-defined]
    return owners
