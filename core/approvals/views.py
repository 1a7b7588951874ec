"""The reviewers' queue: every draft waiting for a decision, oldest first."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from core import subjects
from core.access import STAFF, roles_required
from core.approvals import services

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.get("/")
@roles_required(*STAFF)
def queue() -> ResponseReturnValue:
    waiting = [
        (review, subjects.url_of(review.subject_type, review.subject_id))
        for review in services.queue()
    ]
    return render_template("approvals/queue.html", waiting=waiting)
