"""A decision on a screening hit, from whichever page shows its form: the hits of one run, or
the queue of every hit not yet decided (docs/architecture.md §5)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from core import formerrors
from special_measures import rules, screening
from special_measures.forms import HitDecisionForm
from special_measures.models import ScreeningHit


def decide_with(
    hit: ScreeningHit,
    form: HitDecisionForm,
    *,
    then: Callable[[], ResponseReturnValue],
    page: Callable[[FlaskForm], str],
) -> ResponseReturnValue:
    """One form, one service (``screening.decide_hit``); ``then`` answers once the decision is
    recorded, ``page`` shows the form again with its refusal."""

    def act() -> ResponseReturnValue:
        screening.decide_hit(
            hit,
            decision=rules.HitDecision(form.decision.data),
            reason=form.reason.data,
            actor=current_user,
        )
        flash(f"Decision recorded for {hit.party_name}.", "success")
        return then()

    return formerrors.handle(form, act, page=page)
