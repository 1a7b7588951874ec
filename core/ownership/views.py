"""Who owns a case, on every case's page (``owner_panel``), its reassigning and taking, the
owner filter of every case list (``owner_filter``), and the administrators' teams page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select
from wtforms.fields.choices import SelectChoice

from core import formerrors
from core.access import roles_required
from core.auth.rules import Role
from core.db import db
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.listing import Listing, ListPage, SortColumn, page_of
from core.ownership import registry, rules, services
from core.ownership.forms import (
    NO_TEAM_CHOICE,
    NOBODY_CHOICE,
    ButtonForm,
    OwnerFilterForm,
    ReassignForm,
    TeamForm,
)
from core.ownership.registry import OwnedKind

bp = Blueprint("ownership", __name__)


def _kind_or_404(key: str) -> OwnedKind:
    return registry.kind(key) or abort(404)


def _case_or_404(kind: OwnedKind, case_id: int) -> Any:
    return services.get_case(kind, case_id) or abort(404)


def reassign_form(case: Any, formdata: Any = None) -> ReassignForm:
    form = (
        ReassignForm(formdata)
        if formdata is not None
        else ReassignForm(
            formdata=None, data={"owner": str(case.owner_id or ""), "team": str(case.team_id or "")}
        )
    )
    owners = services.possible_owners()
    if case.owner is not None and case.owner not in owners:
        owners.append(case.owner)  # shown as it stands, though no longer offered
    form.owner.choices = [NOBODY_CHOICE] + [
        SelectChoice(str(user.id), user.full_name) for user in owners
    ]
    teams = services.teams(active_only=True)
    if case.team is not None and case.team not in teams:
        teams.append(case.team)
    form.team.choices = [NO_TEAM_CHOICE] + [SelectChoice(str(team.id), team.name) for team in teams]
    return form


def owner_panel(kind_key: str, case: Any, form: ReassignForm | None = None) -> Markup:
    """The case's owner and team, and what the person reading may do about them: take it,
    give it to someone, or read that a closed case stays as it is."""
    kind = registry.kind(kind_key)
    assert kind is not None, f"{kind_key} is not registered"
    role = current_user.role_enum
    is_open = kind.is_open(case)
    # The template escapes what it shows.
    return Markup(  # noqa: S704
        render_template(
            "ownership/_panel.html",
            kind=kind,
            case=case,
            is_open=is_open,
            may_take=rules.may_take(
                role, case_open=is_open, owner_id=case.owner_id, actor_id=current_user.id
            ),
            may_reassign=rules.may_reassign(role, case_open=is_open),
            form=form or reassign_form(case),
            take_form=ButtonForm(),
        )
    )


def _choice(form: ReassignForm, name: str) -> int | None:
    value = (form[name].data or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(
            {name: [services.NOT_AN_ANALYST if name == "owner" else services.NOT_A_TEAM]}
        )
    return int(value)


def _refused(kind: OwnedKind, case: Any, error: IllegalTransition) -> ResponseReturnValue:
    db.session.rollback()
    flash(str(error), "error")
    return redirect(kind.link(str(case.id)), code=303)


@bp.post("/owners/<kind_key>/<int:case_id>")
@roles_required(*rules.REASSIGNERS)
def reassign(kind_key: str, case_id: int) -> ResponseReturnValue:
    kind = _kind_or_404(kind_key)
    case = _case_or_404(kind, case_id)
    form = reassign_form(case, request.form)

    def act() -> ResponseReturnValue:
        try:
            services.reassign(
                kind, case, owner_id=_choice(form, "owner"), team_id=_choice(form, "team"),
                actor=current_user,
            )  # fmt: skip
        except IllegalTransition as error:
            return _refused(kind, case, error)
        owner = rules.owner_name(case.owner.full_name if case.owner else None)
        flash(f"{kind.reference(case)} is now owned by {owner}.", "success")
        return redirect(kind.link(str(case.id)), code=303)

    def page(bound: Any) -> str:
        return render_template(
            "ownership/reassign.html",
            kind=kind,
            case=case,
            panel=owner_panel(kind_key, case, bound),
        )

    return formerrors.handle(form, act, page=page)


@bp.post("/owners/<kind_key>/<int:case_id>/take")
@roles_required(*rules.TAKERS)
def take(kind_key: str, case_id: int) -> ResponseReturnValue:
    kind = _kind_or_404(kind_key)
    case = _case_or_404(kind, case_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.take(kind, case, actor=current_user)
    except IllegalTransition as error:
        return _refused(kind, case, error)
    flash(f"{kind.reference(case)} is yours now; its deadlines follow you.", "success")
    return redirect(kind.link(str(case.id)), code=303)


def owner_filter(model: Any) -> tuple[OwnerFilterForm, ColumnElement[bool] | None]:
    """A case list's ``?owner=`` (Me, Nobody, each analyst): the form to show, and the condition
    on ``model``'s cases, None for anyone's or for a choice not offered (named at the field)."""
    form = OwnerFilterForm(request.args)
    form.owner.choices = [
        SelectChoice("", "Anyone"),
        SelectChoice(services.ME, "Me"),
        SelectChoice(services.NOBODY, "Nobody"),
    ] + [SelectChoice(str(user.id), user.full_name) for user in services.possible_owners()]
    if not form.validate() or not form.owner.data:
        return form, None
    return form, services.owner_condition(model, form.owner.data, current_user)


# Every case list may be sorted by its owner's name (``services.OWNER_NAME``).
OWNER_COLUMN = SortColumn("owner", "Owner", (services.OWNER_NAME,))


def case_listing(name: str, model: Any, reference: str, *columns: SortColumn) -> Listing:
    """A case list's ``Listing``: its reference (in the order the cases were opened, newest
    first unless asked), the list's own ``columns``, and the owner; equal values keep the order
    of the cases' ids."""
    return Listing(
        name,
        columns=(
            SortColumn("reference", reference, (model.id,), descending_first=True),
            *columns,
            OWNER_COLUMN,
        ),
        default_sort="reference",
        default_descending=True,
        tiebreak=(model.id,),
    )


def case_list_page(
    listing: Listing, model: Any, query_of: Callable[[ColumnElement[bool] | None], Select[Any]]
) -> tuple[OwnerFilterForm, ListPage]:
    """A case list as asked: its owner filter, and one page of the cases ``query_of`` selects
    with the owner's condition, sorted, paged and counted in SQL (docs/architecture.md §13)."""
    form, owned = owner_filter(model)
    return form, page_of(listing, query_of(owned))


# --- Teams ----------------------------------------------------------------------------------


def _teams_page(form: TeamForm | None = None, renamed: dict[int, TeamForm] | None = None) -> str:
    teams = services.teams()
    rename_forms = {
        team.id: TeamForm(formdata=None, prefix=f"team-{team.id}", data={"name": team.name})
        for team in teams
    }
    rename_forms.update(renamed or {})
    return render_template(
        "ownership/teams.html", teams=teams, form=form or TeamForm(formdata=None),
        rename_forms=rename_forms, retire_form=ButtonForm(),
    )  # fmt: skip


@bp.get("/admin/teams")
@roles_required(Role.ADMIN)
def teams() -> ResponseReturnValue:
    return _teams_page()


@bp.post("/admin/teams")
@roles_required(Role.ADMIN)
def add_team() -> ResponseReturnValue:
    form = TeamForm()

    def act() -> ResponseReturnValue:
        team = services.add_team(form.name.data, actor=current_user)
        flash(f"The team {team.name} is added.", "success")
        return redirect(url_for("ownership.teams"), code=303)

    return formerrors.handle(form, act, page=lambda bound: _teams_page(form=bound))


def _team_or_404(team_id: int) -> Any:
    return services.get_team(team_id) or abort(404)


@bp.post("/admin/teams/<int:team_id>/name")
@roles_required(Role.ADMIN)
def rename_team(team_id: int) -> ResponseReturnValue:
    team = _team_or_404(team_id)
    form = TeamForm(prefix=f"team-{team.id}")

    def act() -> ResponseReturnValue:
        services.rename_team(team, form.name.data, actor=current_user)
        flash(f"The team is renamed {team.name}.", "success")
        return redirect(url_for("ownership.teams"), code=303)

    return formerrors.handle(form, act, page=lambda bound: _teams_page(renamed={team.id: bound}))


@bp.post("/admin/teams/<int:team_id>/retire")
@roles_required(Role.ADMIN)
def retire_team(team_id: int) -> ResponseReturnValue:
    team = _team_or_404(team_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.retire_team(team, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("ownership.teams"), code=303)
    flash(f"The team {team.name} is retired: it keeps its cases and is offered for no other.",
          "success")  # fmt: skip
    return redirect(url_for("ownership.teams"), code=303)


def init_app(app: Any) -> None:
    """The panel every case page shows, as a template global."""
    app.jinja_env.globals["owner_panel"] = owner_panel
