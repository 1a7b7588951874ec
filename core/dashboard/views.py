"""The landing page after log-in: what is overdue, what is due soon, what is mine, and for an
administrator whether the audit trail passed its daily check."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import clocks, subjects
from core.access import ALL_ROLES, roles_required
from core.approvals import services as approvals
from core.audit import checks as audit_checks
from core.auth.rules import Role
from core.consultations import services as consultations
from core.deadlines import services as deadlines
from core.deadlines.rules import Urgency
from core.notifications.services import unread_count
from core.ownership import services as ownership

bp = Blueprint("dashboard", __name__)

# How many of my deadlines, and of those overdue or due soon, the dashboard lists.
SHOWN = 8


@bp.get("/")
@roles_required(*ALL_ROLES)
def index() -> ResponseReturnValue:
    if current_user.role_enum is Role.LIAISON:
        return render_template(
            "dashboard/liaison.html", consultations=consultations.visible_to(current_user)
        )
    today = clocks.office_today()
    # Counted by the database (one GROUP BY); only the rows shown are fetched.
    counted = deadlines.open_counts(today)
    counts = sum(counted.values(), Counter())
    by_module = {module: counted[module] for module in clocks.MODULES}
    mine = deadlines.board_head(
        deadlines.BoardFilter(assignee_id=current_user.id), today, limit=SHOWN
    )
    returned = approvals.returned_to(current_user)
    failed_check = audit_checks.failed_check() if current_user.role_enum is Role.ADMIN else None
    return render_template(
        "dashboard/index.html",
        counts=counts,
        by_module=by_module,
        mine=mine,
        urgent=deadlines.board_head(deadlines.BoardFilter(), today, limit=SHOWN, urgent_only=True),
        Urgency=Urgency,
        total=counts.total(),
        failed_check=failed_check,
        # My work: my open cases by kind and state (counted in SQL), my drafts returned, what
        # waits for me, and my deadlines (``mine``).
        my_cases=ownership.open_cases_by_state(current_user),
        returned=[
            (review, subjects.url_of(review.subject_type, review.subject_id)) for review in returned
        ],
        awaiting_review=approvals.waiting_for(current_user)
        if current_user.role_enum is Role.REVIEWER
        else None,
        unread=unread_count(current_user),
        failed_on=clocks.office_today(failed_check.finished_at)
        if failed_check and failed_check.finished_at
        else None,
    )
