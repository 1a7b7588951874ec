"""Who owns casework's open cases on a provider, to be told of what arrives for them
(core.signals.case_owners_asked). Until cases have owners of their own, the owner is the analyst
who opened the case: an assessment's or a reseller oversight's opener, a penalty's drafter (who
proposes the penalty opens its case, §7.309(c))."""

from __future__ import annotations

from sqlalchemy import select

from casework import rules
from casework.models import Assessment, PenaltyCase, ResellerOversight
from core.auth.models import User
from core.db import db
from core.workflow.rules import open_states


def case_owners(*, provider_id: int, **_: object) -> list[User]:
    """The owners of the provider's open assessments, penalties and reseller oversights."""
    owned = (
        (Assessment.opened_by_id, Assessment, rules.ASSESSMENT_ALLOWED),
        (PenaltyCase.drafted_by_id, PenaltyCase, rules.PENALTY_ALLOWED),
        (ResellerOversight.opened_by_id, ResellerOversight, rules.OVERSIGHT_ALLOWED),
    )
    owners: list[User] = []
    for owner_id, case, allowed in owned:
        owners += db.session.execute(
            select(User)
            .join(case, owner_id == User.id)
            .where(case.provider_id == provider_id, case.state.in_(open_states(allowed)))
            .order_by(case.id)
        ).scalars()
    return owners
