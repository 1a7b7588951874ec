"""Special measures pages: cases from referral to issuance, notices to Congress, extensions,
revocations and the measures in force (§7.307)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from core import clocks, exports, formerrors
from core.access import STAFF, roles_required
from core.approvals import rules as review_rules
from core.approvals import services as approvals
from core.approvals.forms import DecisionForm, WithdrawDraftForm
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.rules import REQUIRED_AGENCIES, Purpose
from core.db import db, utcnow
from core.errors import DomainError
from core.listing import SortColumn
from core.modules import module_blueprint
from core.office import services as office
from core.ownership.views import case_list_page, case_listing
from core.workflow import rules as workflow
from intake import kinds
from intake import services as intake
from intake.correspondence import views as sent_views
from intake.models import Provider
from special_measures import actions as measure_actions
from special_measures import correspondence, drafts, reports, rules, screening, services
from special_measures.forms import (
    AddresseeForm,
    CloseForm,
    ConsultationRequestForm,
    DeterminationBase,
    ExtensionForm,
    HitDecisionForm,
    IssueForm,
    NoticeSentForm,
    ProviderNoticeForm,
    PublicationForm,
    ReferralForm,
    RevocationForm,
    factor_entries,
    factor_form,
    lines_of,
)
from special_measures.hit_decisions import decide_with
from special_measures.models import (
    CongressionalNotice,
    MeasureAction,
    ScreeningHit,
    ScreeningRun,
    SpecialMeasureCase,
)
from special_measures.rules import ActionKind, CaseState, MeasureKind, ReferralSource, SubjectKind

bp = module_blueprint(
    "special_measures",
    title="Special measures",
    url_prefix="/special-measures",
    summary=(
        "Referrals, evaluations and determinations imposing special measures on foreign "
        "jurisdictions or foreign persons (§7.307), with their compliance dates, expiry, "
        "extensions and notices to Congress."
    ),
)

ANALYSTS = (Role.ANALYST,)
REVIEWERS = (Role.REVIEWER,)
RECORDERS = (Role.ANALYST, Role.REVIEWER)


def case_link(case_id: str) -> str:
    return url_for("special_measures.case", case_id=case_id)


def action_link(action_id: str) -> str:
    return url_for("special_measures.action", action_id=action_id)


def case_or_404(case_id: int) -> SpecialMeasureCase:
    return services.get_case(case_id) or abort(404)


def _notice_or_404(notice_id: int) -> CongressionalNotice:
    return services.get_notice(notice_id) or abort(404)


def _action_or_404(action_id: int) -> MeasureAction:
    return measure_actions.get_action(action_id) or abort(404)


def flash_done(message: str, endpoint: str, **values: object) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


# --- Cases ----------------------------------------------------------------------------------


# Every case, newest first, sorted and paged by the database, filtered by owner (§16). A
# measure's status is a function of the day, shown for the page's cases.
CASES = case_listing(
    "special-measure-cases", SpecialMeasureCase, "Case",
    SortColumn("subject", "Subject", services.SUBJECT_SORT),
    SortColumn("stage", "Stage", (SpecialMeasureCase.state,)),
    SortColumn("received", "Referral received", (SpecialMeasureCase.referral_received_on,),
               descending_first=True),
)  # fmt: skip


@bp.get("/cases")
@roles_required(*STAFF)
def cases() -> ResponseReturnValue:
    today = clocks.office_today()
    owner_form, page = case_list_page(CASES, SpecialMeasureCase, services.cases_query)
    return render_template(
        "special_measures/cases.html",
        page=page,
        status={case.id: services.status_of(case, today) for case in page.items},
        owner_form=owner_form,
    )


def _referral_form() -> ReferralForm:
    form = ReferralForm()
    form.referring_provider_id.choices = [SelectChoice("", "- Select -")] + [
        SelectChoice(str(provider.id), provider.legal_name) for provider in intake.list_providers()
    ]
    return form


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_case() -> ResponseReturnValue:
    form = _referral_form()

    def act() -> ResponseReturnValue:
        provider_id = form.referring_provider_id.data
        referral = services.Referral(
            source=ReferralSource(form.source.data),
            received_on=form.received_on.data,
            summary=form.summary.data,
            subject_kind=SubjectKind(form.subject_kind.data),
            referring_agency=form.referring_agency.data or "",
            referring_provider_id=int(provider_id) if provider_id else None,
            jurisdiction=form.jurisdiction.data or "",
            region=form.region.data or "",
            person_name=form.person_name.data or "",
            aliases=lines_of(form.aliases.data),
            identifiers=lines_of(form.identifiers.data),
            related_receipts=lines_of(form.related_receipts.data),
        )
        case = services.open_case(referral, actor=current_user, today=clocks.office_today())
        return flash_done(
            f"Case {case.reference} opened.", "special_measures.case", case_id=case.id
        )

    return formerrors.handle(
        form, act, page=lambda form: render_template("special_measures/new_case.html", form=form)
    )


def _consultation_form(case: SpecialMeasureCase) -> ConsultationRequestForm:
    form = ConsultationRequestForm()
    if not form.is_submitted():
        form.summary.data = (
            f"The Department is evaluating whether to impose a special measure under 15 CFR "
            f"7.307 with respect to {reports.subject_description(case)}. We ask for your "
            "agency's position under §7.307(c)."
        )
    return form


def _decision_form() -> DecisionForm:
    return DecisionForm()


def _issue_form() -> IssueForm:
    form = IssueForm()
    if not form.is_submitted():
        form.issued_on.data = clocks.office_today()
    return form


def withdraw_form() -> WithdrawDraftForm:
    # Prefixed: closing the case, on the same page, has reasons of its own.
    return WithdrawDraftForm(prefix="draft_withdrawal")


def render_case(case: SpecialMeasureCase, **forms: FlaskForm) -> str:
    today = clocks.office_today()
    review = approvals.latest_review(services.CASE, case.id)
    status = services.status_of(case, today)
    return render_template(
        "special_measures/case.html",
        case=case,
        status=status,
        in_effect=status is rules.MeasureStatus.IN_EFFECT,
        actions=drafts.case_actions(case, current_user, today),
        authors_only=drafts.authors_only(case, current_user, today),
        withdraw_form=forms.get("withdraw_form") or withdraw_form(),
        withdrawn_drafts=drafts.withdrawn_determinations(case),
        draft_labels=drafts.DRAFT_LABELS,
        evaluation_factors=rules.evaluation_factors(case.kind),
        selection_factors=rules.SELECTION_FACTORS,
        reasons={factor.code: factor for factor in case.factors},
        related_filings=services.related_filings(case),
        consultations=consultations.for_subject(services.CASE, case.id),
        required_agencies=REQUIRED_AGENCIES[Purpose.SPECIAL_MEASURE],
        missing_evaluation=services.missing_evaluation(case),
        gaps=services.draft_gaps(case) if case.state_enum is CaseState.DRAFTED else [],
        review=review,
        measure_text=reports.measure_text(case),
        source_label=rules.SOURCE_LABELS[ReferralSource(case.source)],
        committees=rules.COMMITTEES_BY_KEY,
        evidence_items=evidence_items,
        finding_paragraph=rules.finding_paragraph(case.kind),
        finding_text=rules.FINDING_TEXT[case.kind],
        preview=services.dates_if_issued(today),
        dates=reports.dates_table(case),
        action_review={a.id: approvals.latest_review(services.ACTION, a.id) for a in case.actions},
        screenings=screening.screenings_of(case) if case.issued_on else [],
        consultation_form=forms.get("consultation_form") or _consultation_form(case),
        decision_form=forms.get("decision_form") or _decision_form(),
        issue_form=forms.get("issue_form") or _issue_form(),
        close_form=forms.get("close_form") or CloseForm(),
        publication_form=forms.get("publication_form") or PublicationForm(obj=case),
        publication_note=services.publication_note(case),
        leaves_review=case.state_enum in (CaseState.IN_REVIEW, CaseState.APPROVED),
        starting=case.state_enum is CaseState.REFERRED,
        notice_form=forms.get("notice_form") or _notice_form(case),
        sent_panel=sent_views.sent_panel(services.CASE, case.id),
    )


def evidence_items(text: str | None) -> list[tuple[str, str | None]]:
    """Evidence lines, with a link where a line is a filing's receipt number or a page here."""
    items = []
    for line in lines_of(text):
        if line.startswith("/"):
            items.append((line, line))
        elif (filing := intake.get_filing(line)) is not None:
            items.append((line, url_for("intake.filing", receipt_number=filing.receipt_number)))
        else:
            items.append((line, None))
    return items


@bp.get("/cases/<int:case_id>")
@roles_required(*STAFF)
def case(case_id: int) -> ResponseReturnValue:
    return render_case(case_or_404(case_id))


@bp.route("/cases/<int:case_id>/evaluation", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def evaluation(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    services.check_evaluation_open(case, current_user)
    factors = rules.evaluation_factors(case.kind)
    form_class = factor_form(factors)
    form = form_class(data=_factor_data(case)) if request.method == "GET" else form_class()

    def act() -> ResponseReturnValue:
        services.save_evaluation(case, factor_entries(form, factors), actor=current_user)
        return flash_done("Evaluation saved.", "special_measures.case", case_id=case.id)

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "special_measures/evaluation.html", case=case, form=form, factors=factors
        ),
    )


def _factor_data(case: SpecialMeasureCase) -> dict[str, str]:
    data = {}
    for factor in case.factors:
        data[f"reasons_{factor.code}"] = factor.reasons
        data[f"evidence_{factor.code}"] = factor.evidence
    return data


@bp.post("/cases/<int:case_id>/consultations")
@roles_required(*ANALYSTS)
def request_consultations(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = _consultation_form(case)

    def act() -> ResponseReturnValue:
        others = tuple(a.strip() for a in (form.other_agencies.data or "").split(",") if a.strip())
        services.request_case_consultations(
            case,
            summary=form.summary.data,
            respond_by=form.respond_by.data,
            optional_agencies=others,
            actor=current_user,
            today=clocks.office_today(),
        )
        return flash_done("Consultation requested.", "special_measures.case", case_id=case.id)

    return formerrors.handle(form, act, page=lambda form: render_case(case, consultation_form=form))


@bp.route("/cases/<int:case_id>/determination", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def determination(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    services.check_determination_open(case, current_user)
    form_class = factor_form(rules.SELECTION_FACTORS, base=DeterminationBase)
    if request.method == "GET":
        form = form_class(
            data={
                **_factor_data(case),
                "evaluation_summary": case.evaluation_summary,
                "measure_kind": case.measure_kind,
                "conditions": case.conditions_text,
                "consistency": case.consistency_text,
                "compliance_on": case.compliance_on,
            }
        )
    else:
        form = form_class()

    def act() -> ResponseReturnValue:
        draft = services.DeterminationDraft(
            evaluation_summary=form.evaluation_summary.data,
            measure_kind=MeasureKind(form.measure_kind.data),
            conditions=form.conditions.data or "",
            consistency=form.consistency.data,
            compliance_on=form.compliance_on.data,
            selection=factor_entries(form, rules.SELECTION_FACTORS),
        )
        services.save_determination(case, draft, actor=current_user, today=clocks.office_today())
        return flash_done("Determination drafted.", "special_measures.case", case_id=case.id)

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "special_measures/determination_form.html",
            case=case,
            form=form,
            selection_factors=rules.SELECTION_FACTORS,
            preview=services.dates_if_issued(clocks.office_today()),
            measure_paragraph=rules.measure_paragraph(case.kind),
            review=approvals.latest_review(services.CASE, case.id),
        ),
    )


@bp.post("/cases/<int:case_id>/submit")
@roles_required(*ANALYSTS)
def submit(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    try:
        services.submit_determination(case, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("special_measures.case", case_id=case.id))
    return flash_done("Sent to the reviewers' queue.", "special_measures.case", case_id=case.id)


def _record_decision(
    decide: Callable[..., None],
    *,
    page: Callable[[FlaskForm], str],
    done: Callable[[bool], ResponseReturnValue],
) -> ResponseReturnValue:
    """A reviewer's approval or return, through the two-person review of ``core.approvals``."""
    form = DecisionForm()

    def act() -> ResponseReturnValue:
        approve = form.decision.data == "approve"
        decide(approve=approve, comments=form.comments.data or "", actor=current_user)
        return done(approve)

    return formerrors.handle(form, act, page=page, error_field="comments")


@bp.post("/cases/<int:case_id>/decision")
@roles_required(*REVIEWERS)
def decide(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    return _record_decision(
        partial(services.decide_determination, case),
        page=lambda form: render_case(case, decision_form=form),
        done=lambda approved: flash_done(
            f"Determination {'approved' if approved else 'returned to the analyst'}.",
            "special_measures.case",
            case_id=case.id,
        ),
    )


@bp.post("/cases/<int:case_id>/issue")
@roles_required(*RECORDERS)
def issue(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = IssueForm()

    def act() -> ResponseReturnValue:
        services.issue_determination(
            case, issued_on=form.issued_on.data, actor=current_user, today=clocks.office_today()
        )
        return flash_done(
            f"Determination {case.reference} issued; the measure is imposed and the letters "
            "to Congress are ready. The job worker now screens every foreign reseller against "
            "it; this page shows the hits when it is done.",
            "special_measures.case",
            case_id=case.id,
        )

    return formerrors.handle(
        form, act, page=lambda form: render_case(case, issue_form=form), error_field="issued_on"
    )


@bp.post("/cases/<int:case_id>/publication")
@roles_required(*RECORDERS)
def publication(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = PublicationForm()

    def act() -> ResponseReturnValue:
        services.record_publication(
            case,
            federal_register_citation=form.federal_register_citation.data,
            published_on=form.published_on.data,
            actor=current_user,
            today=clocks.office_today(),
        )
        return flash_done("Publication recorded.", "special_measures.case", case_id=case.id)

    return formerrors.handle(form, act, page=lambda form: render_case(case, publication_form=form))


@bp.post("/cases/<int:case_id>/close")
@roles_required(*ANALYSTS)
def close(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = CloseForm()

    def act() -> ResponseReturnValue:
        services.close_case(case, reasons=form.reasons.data, actor=current_user)
        return flash_done(
            "Case closed without a measure.", "special_measures.case", case_id=case.id
        )

    return formerrors.handle(
        form, act, page=lambda form: render_case(case, close_form=form), error_field="reasons"
    )


def _pdf(body: bytes, filename: str) -> ResponseReturnValue:
    return exports.download(body, filename=filename, mimetype="application/pdf")


@bp.get("/cases/<int:case_id>/determination.pdf")
@roles_required(*STAFF)
def determination_pdf(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    body = correspondence.determination_pdf(case)
    services.download_determination(case, actor=current_user)
    return _pdf(body, f"{case.reference}-determination.pdf")


def _notice_form(case: SpecialMeasureCase) -> ProviderNoticeForm:
    """Affected providers (the screenings matched them) first, then the rest of the registry."""
    form = ProviderNoticeForm()
    affected = correspondence.affected_provider_ids(case)
    providers = sorted(intake.list_providers(), key=lambda p: (p.id not in affected, p.legal_name))
    form.provider.choices = [form.provider.choices[0]] + [
        SelectChoice(str(p.id), p.legal_name + (" (matched by screening)" if p.id in affected
                                                else ""))
        for p in providers
    ]  # fmt: skip
    return form


@bp.post("/cases/<int:case_id>/provider-notices")
@roles_required(Role.ANALYST, Role.REVIEWER)
def send_provider_notice(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = _notice_form(case)

    def act() -> ResponseReturnValue:
        provider = intake.get_provider(int(form.provider.data)) or abort(404)
        correspondence.send_notice(case, provider, actor=current_user,
                                   today=clocks.office_today())  # fmt: skip
        flash(f"The notice is being sent to {provider.legal_name}'s contact on record.", "success")
        return redirect(url_for("special_measures.case", case_id=case.id))

    return formerrors.handle(
        form, act, page=lambda form: render_case(case, notice_form=form), error_field="provider"
    )


# --- Notices to Congress (§7.307(d)) ----------------------------------------------------------


def _render_notice(notice: CongressionalNotice, **forms: FlaskForm) -> str:
    addressee_form = forms.get("addressee_form") or AddresseeForm(obj=notice)
    sent_form = forms.get("sent_form") or NoticeSentForm()
    return render_template(
        "special_measures/notice.html",
        notice=notice,
        committee=rules.COMMITTEES_BY_KEY[notice.committee],
        addressee_form=addressee_form,
        sent_form=sent_form,
        overdue=notice.sent_on is None and notice.deadline.due_on < clocks.office_today(),
    )


@bp.get("/notices/<int:notice_id>")
@roles_required(*STAFF)
def notice(notice_id: int) -> ResponseReturnValue:
    return _render_notice(_notice_or_404(notice_id))


@bp.get("/notices/<int:notice_id>/letter.pdf")
@roles_required(*STAFF)
def letter_pdf(notice_id: int) -> ResponseReturnValue:
    record = _notice_or_404(notice_id)
    signer = office.documents().congress_signer
    body = reports.letter_pdf(record, signer=signer, generated_at=utcnow())
    filename = f"{record.case.reference}-letter-{record.committee.replace('_', '-')}.pdf"
    services.download_congressional_letter(record, actor=current_user)
    return _pdf(body, filename)


@bp.post("/notices/<int:notice_id>/addressee")
@roles_required(*ANALYSTS)
def notice_addressee(notice_id: int) -> ResponseReturnValue:
    record = _notice_or_404(notice_id)
    form = AddresseeForm()

    def act() -> ResponseReturnValue:
        services.set_addressee(record, form.addressee.data, actor=current_user)
        return flash_done("Addressee saved.", "special_measures.notice", notice_id=record.id)

    return formerrors.handle(
        form,
        act,
        page=lambda form: _render_notice(record, addressee_form=form),
        error_field="addressee",
    )


@bp.post("/notices/<int:notice_id>/sent")
@roles_required(*RECORDERS)
def notice_sent(notice_id: int) -> ResponseReturnValue:
    record = _notice_or_404(notice_id)
    form = NoticeSentForm()

    def act() -> ResponseReturnValue:
        services.record_notice_sent(
            record,
            sent_on=form.sent_on.data,
            sent_how=form.sent_how.data,
            actor=current_user,
            today=clocks.office_today(),
        )
        return flash_done("Sending recorded.", "special_measures.notice", notice_id=record.id)

    return formerrors.handle(
        form, act, page=lambda form: _render_notice(record, sent_form=form), error_field="sent_on"
    )


# --- Extensions and revocations (§7.307(a)(5)) ---------------------------------------------


def _draft_action(case_id: int, kind: str, form_class: type[FlaskForm]) -> ResponseReturnValue:
    case = case_or_404(case_id)
    measure_actions.check_action_open(case, kind, clocks.office_today())
    form = form_class()

    def act() -> ResponseReturnValue:
        action = measure_actions.draft_action(
            case,
            kind=kind,
            reasons=form.reasons.data,
            new_last_day_on=form.new_last_day_on.data if "new_last_day_on" in form else None,
            effective_on=form.effective_on.data if "effective_on" in form else None,
            actor=current_user,
            today=clocks.office_today(),
        )
        return flash_done(
            f"{kind.capitalize()} drafted and sent to the reviewers' queue.",
            "special_measures.action",
            action_id=action.id,
        )

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "special_measures/action_form.html", case=case, form=form, kind=kind
        ),
    )


@bp.route("/cases/<int:case_id>/extension", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def draft_extension(case_id: int) -> ResponseReturnValue:
    return _draft_action(case_id, ActionKind.EXTENSION, ExtensionForm)


@bp.route("/cases/<int:case_id>/revocation", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def draft_revocation(case_id: int) -> ResponseReturnValue:
    return _draft_action(case_id, ActionKind.REVOCATION, RevocationForm)


def _render_action(action: MeasureAction, **forms: FlaskForm) -> str:
    review = approvals.latest_review(services.ACTION, action.id)
    return render_template(
        "special_measures/action.html",
        action=action,
        case=action.case,
        review=review,
        review_actions=workflow.available_actions(
            review_rules.ACTIONS, review.state_enum, current_user.role_enum
        )
        if review and not action.is_recorded
        else frozenset(),
        approved=approvals.approval_holds(
            services.ACTION, action.id, measure_actions.action_content(action)
        ),
        decision_form=forms.get("decision_form") or DecisionForm(),
        published_form=forms.get("published_form") or PublicationForm(),
        record_form=forms.get("record_form") or FlaskForm(),
    )


@bp.get("/actions/<int:action_id>")
@roles_required(*STAFF)
def action(action_id: int) -> ResponseReturnValue:
    return _render_action(_action_or_404(action_id))


@bp.post("/actions/<int:action_id>/decision")
@roles_required(*REVIEWERS)
def decide_action(action_id: int) -> ResponseReturnValue:
    record = _action_or_404(action_id)
    return _record_decision(
        partial(measure_actions.decide_action, record),
        page=lambda form: _render_action(record, decision_form=form),
        done=lambda _: flash_done(
            "Decision recorded.", "special_measures.action", action_id=record.id
        ),
    )


@bp.post("/actions/<int:action_id>/record")
@roles_required(*RECORDERS)
def record_action(action_id: int) -> ResponseReturnValue:
    record = _action_or_404(action_id)
    today = clocks.office_today()
    if record.kind == ActionKind.EXTENSION:
        published = PublicationForm()

        def record_extension() -> ResponseReturnValue:
            measure_actions.record_extension(
                record,
                federal_register_citation=published.federal_register_citation.data,
                published_on=published.published_on.data,
                actor=current_user,
                today=today,
            )
            return flash_done(
                "Extension recorded; the letters to Congress are ready. The job worker now "
                "screens every foreign reseller against the extended measure.",
                "special_measures.case",
                case_id=record.case_id,
            )

        return formerrors.handle(
            published,
            record_extension,
            page=lambda form: _render_action(record, published_form=form),
        )

    def record_revocation() -> ResponseReturnValue:
        measure_actions.record_revocation(record, actor=current_user, today=today)
        return flash_done("Revocation recorded.", "special_measures.case", case_id=record.case_id)

    return formerrors.handle(
        FlaskForm(),
        record_revocation,
        page=lambda form: _render_action(record, record_form=form),
    )


# --- Measures in force --------------------------------------------------------------------------


@bp.get("/in-force")
@roles_required(*STAFF)
def in_force() -> ResponseReturnValue:
    today = clocks.office_today()
    return render_template(
        "special_measures/in_force.html",
        today=today,
        measures=services.in_force_on(today),
        issued=[(case, services.status_of(case, today)) for case in services.issued_cases()],
    )


# --- Screening (docs/architecture.md §5) ----------------------------------------------------------


def _panel(template: str, **context: object) -> Markup:
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(render_template(template, **context))  # noqa: S704


def provider_screening_panel(provider_id: str) -> Markup:
    return _panel(
        "special_measures/_provider_screening.html",
        provider_id=int(provider_id),
        open_hits=screening.open_hits_for_provider(int(provider_id), clocks.office_today()),
        method=rules.MATCHING_METHOD,
    )


def filing_screening_panel(receipt_number: str) -> Markup | None:
    runs = screening.runs_for("filing", receipt_number)
    if not runs:
        return None
    return _panel("special_measures/_filing_screening.html", runs=runs)


@bp.post("/screening/providers/<int:provider_id>")
@roles_required(*RECORDERS)
def screen_provider(provider_id: int) -> ResponseReturnValue:
    provider = intake.get_provider(provider_id) or abort(404)
    run = screening.screen_provider_resellers(
        provider, relevant_on=clocks.office_today(), actor=current_user
    )
    hits = len(run.hits)
    return flash_done(
        f"Screened {run.parties_screened} foreign resellers: {hits} hit{'' if hits == 1 else 's'}.",
        "special_measures.screening_run",
        run_id=run.id,
    )


def _run_or_404(run_id: int) -> ScreeningRun:
    return screening.get_run(run_id) or abort(404)


def _screened(run: ScreeningRun, provider: Provider) -> tuple[str, str]:
    """What a run screened, as a person names it, and the page it is on."""
    if run.subject_type == "filing":
        filing = intake.get_filing(run.subject_id)
        title = kinds.kind_spec(filing.kind).title if filing else "Filing"
        return f"{title} {run.subject_id}", url_for("intake.filing", receipt_number=run.subject_id)
    return f"The foreign resellers on {provider.legal_name}'s list", url_for(
        "intake.provider", provider_id=provider.id
    )


def _named_in(hit: ScreeningHit) -> str:
    """Where a screened party was named, in words rather than the registry's reference."""
    if hit.party_reference.startswith(screening.RESELLER_REFERENCE):
        return "on the provider's list of foreign resellers"
    return f"named in {hit.party_reference}"


def _render_run(run: ScreeningRun, failed: tuple[int, HitDecisionForm] | None = None) -> str:
    forms = {hit.id: HitDecisionForm(prefix=f"hit{hit.id}", obj=None) for hit in run.hits}
    if failed:
        forms[failed[0]] = failed[1]
    provider = intake.get_provider(run.provider_id)
    assert provider is not None  # a run belongs to a provider on record
    screened, screened_url = _screened(run, provider)
    return render_template(
        "special_measures/screening_run.html",
        run=run,
        measures=run.measures_json,
        provider=provider,
        screened=screened,
        screened_url=screened_url,
        named_in={hit.id: _named_in(hit) for hit in run.hits},
        forms=forms,
    )


@bp.get("/screening/runs/<int:run_id>")
@roles_required(*STAFF)
def screening_run(run_id: int) -> ResponseReturnValue:
    return _render_run(_run_or_404(run_id))


@bp.post("/screening/hits/<int:hit_id>")
@roles_required(*RECORDERS)
def decide_hit(hit_id: int) -> ResponseReturnValue:
    hit: ScreeningHit = screening.get_hit(hit_id) or abort(404)
    return decide_with(
        hit,
        HitDecisionForm(prefix=f"hit{hit.id}"),
        then=lambda: redirect(url_for("special_measures.screening_run", run_id=hit.run_id)),
        page=lambda form: _render_run(hit.run, (hit.id, form)),
    )
