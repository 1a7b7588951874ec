"""Rule parameters: everyone on staff may read them; administrators add new values."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import clocks
from core.access import STAFF, roles_required
from core.auth.rules import Role
from core.db import db
from core.errors import InvalidInput
from core.parameters import rules, services
from core.parameters.forms import ParameterValueForm

bp = Blueprint("parameters", __name__, url_prefix="/parameters")


@bp.get("/")
@roles_required(*STAFF)
def index() -> ResponseReturnValue:
    return render_template(
        "parameters/index.html",
        summaries=services.summaries(clocks.office_today()),
        format_value=rules.format_value,
    )


def _definition_or_404(key: str) -> rules.ParameterDefinition:
    try:
        return rules.definition(key)
    except rules.UnknownParameter:
        abort(404)


@bp.get("/<key>")
@roles_required(*STAFF)
def detail(key: str) -> ResponseReturnValue:
    definition = _definition_or_404(key)
    return _render_detail(definition, ParameterValueForm())


def _render_detail(definition: rules.ParameterDefinition, form: ParameterValueForm) -> str:
    return render_template(
        "parameters/detail.html",
        definition=definition,
        values=services.history(definition.key),
        form=form,
        format_value=rules.format_value,
        today=clocks.office_today(),
    )


@bp.post("/<key>")
@roles_required(Role.ADMIN)
def add_value(key: str) -> ResponseReturnValue:
    definition = _definition_or_404(key)
    form = ParameterValueForm()
    if form.validate_on_submit():
        try:
            services.add_value(
                key,
                value_text=form.value.data,
                effective_from=form.effective_from.data,
                citation=form.citation.data,
                note=form.note.data,
                actor=current_user,
            )
        except InvalidInput as error:
            db.session.rollback()
            for field_name, messages in error.field_errors.items():
                getattr(form, field_name).errors.extend(messages)
        else:
            flash("New value recorded. Earlier values are kept for their dates.", "success")
            return redirect(url_for("parameters.detail", key=key))
    return _render_detail(definition, form), 422
