"""The accelerator catalogue that compute estimates are checked against (§7.308(d)(1)(ii)(C)),
and the entry an analyst confirms for a report whose accelerator the catalogue does not name
as the report does."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select

from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError, InvalidInput
from intake.ai import rules as ai_rules
from intake.models import Accelerator, AcceleratorChoice, Filing


def catalogue() -> list[Accelerator]:
    return list(
        db.session.execute(
            select(Accelerator).order_by(Accelerator.vendor, Accelerator.model)
        ).scalars()
    )


def as_rule(accelerator: Accelerator) -> ai_rules.Accelerator:
    return ai_rules.Accelerator(
        accelerator.model, accelerator.vendor, accelerator.peak_dense_ops_per_second,
        accelerator.number_format, accelerator.source,
    )  # fmt: skip


def add_accelerator(values: dict[str, Any], *, actor: User) -> Accelerator:
    existing = db.session.execute(
        select(Accelerator).where(func.lower(Accelerator.model) == values["model"].lower())
    ).scalar_one_or_none()
    if existing is not None:
        raise InvalidInput({"model": ["That model is already in the catalogue; edit it instead."]})
    accelerator = Accelerator(**values, updated_by_id=actor.id, updated_at=utcnow())
    db.session.add(accelerator)
    db.session.flush()
    record_event("accelerator.add", actor=actor, subject=("accelerator", accelerator.id),
                 after=values)  # fmt: skip
    return accelerator


def update_accelerator(accelerator: Accelerator, values: dict[str, Any], *, actor: User) -> None:
    before = {name: getattr(accelerator, name) for name in values}
    for name, value in values.items():
        setattr(accelerator, name, value)
    accelerator.updated_by_id, accelerator.updated_at = actor.id, utcnow()
    db.session.flush()
    record_event("accelerator.update", actor=actor, subject=("accelerator", accelerator.id),
                 before=before, after=values)  # fmt: skip


# --- An analyst's confirmed entry for a report -------------------------------------------------


def reported_model(filing: Filing) -> str:
    """The accelerator a report of a training run names; "" for any other filing."""
    return filing.data.get("accelerator_model") or ""


def named_in_catalogue(filing: Filing, entries: list[Accelerator]) -> bool:
    """Whether the catalogue names the report's accelerator as the report does: then there is
    nothing to confirm."""
    rules_entries = [as_rule(entry) for entry in entries]
    return ai_rules.find_accelerator(reported_model(filing), rules_entries) is not None


def proposals(filing: Filing, entries: list[Accelerator] | None = None) -> list[Accelerator]:
    """The catalogue entries nearest the accelerator a report names, when the catalogue does
    not name it so; none for a report it does."""
    if not reported_model(filing):
        return []
    entries = catalogue() if entries is None else entries
    if named_in_catalogue(filing, entries):
        return []
    by_model = {entry.model: entry for entry in entries}
    nearest = ai_rules.nearest_accelerators(
        reported_model(filing), [as_rule(entry) for entry in entries]
    )
    return [by_model[accelerator.model] for accelerator in nearest]


def choice_of(filing: Filing) -> AcceleratorChoice | None:
    return db.session.execute(
        select(AcceleratorChoice).where(AcceleratorChoice.filing_id == filing.id)
    ).scalar_one_or_none()


def confirmed_for(filing_ids: Collection[int] | None = None) -> dict[int, ai_rules.Accelerator]:
    """The confirmed entry of each report that has one, by filing id, in one query."""
    query = select(AcceleratorChoice.filing_id, Accelerator).join(AcceleratorChoice.accelerator)
    if filing_ids is not None:
        query = query.where(AcceleratorChoice.filing_id.in_(list(filing_ids)))
    return {filing_id: as_rule(entry) for filing_id, entry in db.session.execute(query).all()}


def _named(entry: Accelerator) -> str:
    return f"{entry.vendor} {entry.model}"


class NothingToConfirm(DomainError):
    """The report names no accelerator the catalogue does not already name as it does."""


def confirm(filing: Filing, accelerator_id: int, *, actor: User) -> AcceleratorChoice:
    """Record that the accelerator a report names is this catalogue entry, so that its compute
    estimate is checked against that hardware (§7.308(d)(1)(ii)(A), (C)); a second confirmation
    replaces the first. The report itself stays as filed."""
    entries = catalogue()
    if not reported_model(filing):
        raise NothingToConfirm("This filing names no accelerator.")
    if named_in_catalogue(filing, entries):
        raise NothingToConfirm(
            f"The catalogue already names “{reported_model(filing)}”; nothing to confirm."
        )
    entry = next((entry for entry in entries if entry.id == accelerator_id), None)
    if entry is None:
        raise InvalidInput({"accelerator": ["Choose an accelerator from the catalogue."]})
    choice = choice_of(filing)
    before = {"accelerator": _named(choice.accelerator)} if choice else None
    chosen = {"accelerator_id": entry.id, "chosen_by_id": actor.id, "chosen_at": utcnow()}
    if choice is None:
        choice = AcceleratorChoice(
            filing_id=filing.id, reported_model=reported_model(filing), **chosen
        )
        db.session.add(choice)
    else:
        for name, value in chosen.items():
            setattr(choice, name, value)
    db.session.flush()
    db.session.refresh(choice)
    record_event(
        "accelerator.confirm",
        actor=actor,
        subject=("filing", filing.receipt_number),
        before=before,
        after={
            "reported": choice.reported_model,
            "accelerator": _named(entry),
            "peak_dense_ops_per_second": entry.peak_dense_ops_per_second,
        },
    )
    return choice
