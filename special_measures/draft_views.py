"""The special-measure page for withdrawing a drafted determination (docs/architecture.md §5);
its route joins the module's blueprint."""

from __future__ import annotations

from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import formerrors
from core.access import roles_required
from special_measures import drafts
from special_measures.views import ANALYSTS, bp, case_or_404, flash_done, render_case, withdraw_form


@bp.post("/cases/<int:case_id>/determination/withdrawal")
@roles_required(*ANALYSTS)
def withdraw_determination(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    # Refused to anyone but its author before the reasons are read (the page says why).
    drafts.require_withdrawable(case, current_user)
    form = withdraw_form()

    def act() -> ResponseReturnValue:
        drafts.withdraw_determination(case, reasons=form.reasons.data, actor=current_user)
        return flash_done(
            "Draft withdrawn; the case is back in consultation and its history keeps the draft.",
            "special_measures.case",
            case_id=case.id,
        )

    return formerrors.handle(
        form, act, page=lambda form: render_case(case, withdraw_form=form), error_field="reasons"
    )
