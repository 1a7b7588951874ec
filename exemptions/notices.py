"""Who owns an exemption case, and what its owner is told (docs/architecture.md §12, §16).

An exemption case is opened by the provider's filing, not by an analyst (§7.306(e)(1)), so it
has no owner until an analyst takes it: by "Take this case", by being given it, or by working it
first (asking its submitter for information, consulting the agencies, drafting its finding:
exemptions.services). A case is open until it is denied, withdrawn or revoked (one granted
stays open: its exemption is in force and its annual notifications come, §7.306(f))."""

from __future__ import annotations

import functools
from datetime import timedelta

from core import clocks
from core.auth.models import User
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for
from core.ownership import registry
from core.ownership.services import owners_of_open
from core.workflow.rules import open_states
from exemptions import rules
from exemptions.models import ExemptionCase, InformationRequest
from exemptions.rules import SUBJECT

INFORMATION_ANSWERED = register_kind(
    NoticeKind(
        "information_answered",
        "An answer to an information request on an exemption case I own",
        "the exemption case's owner",
        citation="§7.306(e)(2)",
    )
)


@functools.cache
def owned_kind() -> registry.OwnedKind:
    """Exemption cases as the kernel's ownership knows them (registered by init_app)."""
    from exemptions import views

    return registry.OwnedKind(
        "exemption", "Exemption requests", ExemptionCase,
        registry.open_values(open_states(rules.ALLOWED)),
        reference=lambda case: f"Exemption request {case.filing.receipt_number}",
        subject_label=lambda case: case.provider.legal_name,
        link=views.case_link, list_endpoint="exemptions.cases", subject_type=SUBJECT,
        module="exemptions",
    )  # fmt: skip


def case_owner(case: ExemptionCase) -> User | None:
    return case.owner


def case_owners(*, provider_id: int, **_: object) -> list[User]:
    """The owners of the provider's open exemption cases (core.signals.case_owners_asked)."""
    return owners_of_open(owned_kind(), ExemptionCase.provider_id == provider_id)


def information_answered(information_request: InformationRequest, actor: User) -> None:
    """The case's owner hears that the submitter answered (not when they recorded it)."""
    case = information_request.case
    owner = case_owner(case)
    if owner is None or owner.id == actor.id:
        return
    notify(
        [owner],
        INFORMATION_ANSWERED.name,
        title=f"Information request {information_request.id} answered on "
        f"{information_request.responded_on.isoformat()}: {case.label}",
        link=path_for("exemptions.case", case_id=case.id),
        subject=(SUBJECT, case.id),
        mail_context={
            "information_request_id": information_request.id,
            "receipt_number": case.filing.receipt_number,
            "requested_on": information_request.requested_on,
            "responded_on": information_request.responded_on,
            "citation": INFORMATION_ANSWERED.citation,
        },
    )


register_sample(
    INFORMATION_ANSWERED.name,
    lambda: {
        "information_request_id": 19,
        "receipt_number": "OICTS-2026-003987",
        "requested_on": clocks.office_today() - timedelta(days=9),
        "responded_on": clocks.office_today(),
        "citation": INFORMATION_ANSWERED.citation,
    },
)
