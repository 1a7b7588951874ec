"""The review of a certification at /intake/filings/<receipt>/review, and its panel on the
filing's page. Its routes are on intake's blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from core import clocks, formerrors
from core.access import roles_required
from core.auth.rules import Role
from core.deadlines import services as deadlines
from intake import kinds
from intake import services as intake
from intake.correspondence import views as sent_views
from intake.models import Filing
from intake.reviews import rules, services
from intake.reviews.forms import ReviewForm
from intake.reviews.paragraphs import citable
from intake.views import CUI_FILINGS, bp


def _reviewable_or_404(receipt_number: str) -> Filing:
    filing = intake.get_filing(receipt_number)
    if filing is None or not rules.is_reviewed_kind(filing.kind):
        abort(404)
    return filing


def review_link(review_id: str) -> str | None:
    """The page of what a resubmission clock or a deficiency notice is about: the filing."""
    review = services.get_review(review_id)
    return url_for("intake.filing", receipt_number=review.filing.receipt_number) if review else None


def review_panel(receipt_number: str) -> Markup | None:
    """Where a certification stands on review, on the filing's page."""
    filing = intake.get_filing(receipt_number)
    if filing is None or not rules.is_reviewed_kind(filing.kind):
        return None
    review = services.review_of(filing)
    html = render_template(
        "intake/_review.html",
        filing=filing,
        review=review,
        standing=services.standing_of(filing, review, clocks.office_today()),
        clock=services.resubmission_clock(),
        clocks_of=deadlines.deadlines_for_subject(services.SUBJECT, review.id) if review else [],
        sent=sent_views.sent_panel(services.SUBJECT, review.id) if review else None,
        outcome_labels=rules.OUTCOME_LABELS,
    )
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(html)  # noqa: S704


def _page(filing: Filing, form: ReviewForm) -> str:
    return render_template(
        "intake/review_form.html",
        cui=CUI_FILINGS,
        filing=filing,
        spec=kinds.kind_spec(filing.kind),
        form=form,
        clock=services.resubmission_clock(),
    )


@bp.route("/filings/<receipt_number>/review", methods=["GET", "POST"])
@roles_required(Role.ANALYST)
def review_filing(receipt_number: str) -> ResponseReturnValue:
    filing = _reviewable_or_404(receipt_number)
    form = ReviewForm()
    form.offer(citable(filing.kind))

    def act() -> ResponseReturnValue:
        review = services.review_filing(
            filing, outcome=form.outcome.data or "", reasons=form.reasons(),
            actor=current_user, today=clocks.office_today(),
        )  # fmt: skip
        if review.outcome is rules.ReviewOutcome.DEFICIENT:
            clock = services.resubmission_clock()
            flash(
                f"Reviewed as deficient. The notice of its shortcomings is being sent to the "
                f"provider's contact on record; the {clock.days}-day resubmission period "
                f"({clock.citation}) starts when it is sent.",
                "success",
            )
        else:
            flash("Reviewed as accepted.", "success")
        return redirect(url_for("intake.filing", receipt_number=receipt_number))

    return formerrors.handle(form, act, page=lambda form: _page(filing, form))
