"""Realistic records for tests, built through the same services the application uses."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core import clocks, crypto
from core.auth import services as accounts
from core.auth.models import User
from core.auth.rules import Role
from core.db import db, utcnow
from core.jobs.models import Job
from core.jobs.rules import JobState
from core.jobs.services import send_committed
from intake import services as intake
from intake.examples import payload
from intake.models import Filing, ForeignReseller, IpLogAttachment, Provider, ResellerImport
from special_measures import screening
from special_measures.rules import ActionKind

PASSWORD = "quiet-harbor-lantern-2026"
_sequence = itertools.count(1)

NAMES = {
    Role.ANALYST: "Avery Analyst",
    Role.REVIEWER: "Riley Reviewer",
    Role.ADMIN: "Alex Administrator",
    Role.LIAISON: "Lee Liaison",
    Role.VIEWER: "Val Viewer",
}


def make_user(
    role: Role = Role.ANALYST,
    *,
    agency: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    number = next(_sequence)
    if role is Role.LIAISON and agency is None:
        agency = "DHS"
    user = accounts.create_user(
        email=email or f"{role.value}{number}@oicts.example",
        full_name=f"{NAMES[role]} {number}",
        role=role,
        password=password,
        agency=agency,
        actor=None,
    )
    db.session.commit()
    return user


def violations_of(*paragraphs: str, on: date | None = None, value: int | None = None) -> list:
    """A penalty notice's violations (§7.309(a)), one for each paragraph ("a2"), on ``on``
    (default: three months ago), each against a transaction of ``value`` dollars if given."""
    from casework.penalties.rules import Violation

    day = on or clocks.office_today() - timedelta(days=90)
    transaction = "The transaction" if value else ""
    return [Violation(paragraph, day, transaction, value) for paragraph in paragraphs]


def violation_rows(*paragraphs: str, on: date | None = None) -> dict[str, str]:
    """The same violations as a notice's form posts them, row by row."""
    day = (on or clocks.office_today() - timedelta(days=90)).isoformat()
    rows: dict[str, str] = {}
    for index, paragraph in enumerate(paragraphs):
        rows |= {f"violations-{index}-paragraph": paragraph, f"violations-{index}-occurred_on": day}
    return rows


def make_provider(legal_name: str | None = None, **fields: object) -> Provider:
    number = next(_sequence)
    values = {
        "legal_name": legal_name or f"Granite Peak Cloud {number}, Inc.",
        "business_names": [f"Granite Peak {number}"],
        "street_address": "100 Main St",
        "city": "Arlington",
        "state": "VA",
        "postal_code": "22201",
        "is_us_reseller": False,
        "contact_name": "Jamie Ortiz",
        "contact_title": "Compliance Officer",
        "contact_email": "jortiz@granitepeak.example",
        "contact_phone": "+17035550100",
        "first_foreign_account_on": date(2024, 3, 1),
        **fields,
    }
    provider = Provider(**values)
    db.session.add(provider)
    db.session.commit()
    return provider


RESELLER_JURISDICTIONS = ("DE", "JP", "BR", "IN", "SG", "MX", "KE", "PL")


def _job_running_since(kind: str, subject_id: int, uploader: User, since: datetime) -> Job:
    """The job of a record, taken up by a worker at ``since`` and not finished."""
    job = Job(
        kind=kind,
        state=JobState.RUNNING,
        subject_type=kind,
        subject_id=subject_id,
        requested_by_id=uploader.id,
        attempts=1,
        claim="0" * 32,
        started_at=since,
    )
    db.session.add(job)
    return job


def make_running_import(provider: Provider, uploader: User) -> ResellerImport:
    """An import whose job a worker took up an hour ago and has not finished: the import's own
    row still reads queued, for the job's work commits only at its end."""
    record = ResellerImport(
        provider_id=provider.id,
        uploaded_by_id=uploader.id,
        filename="big.csv",
        file_format="csv",
        size_bytes=10,
        sha256="0" * 64,
        status="queued",
        uploaded_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(record)
    db.session.flush()
    _job_running_since("reseller_import", record.id, uploader, utcnow() - timedelta(hours=1))
    db.session.commit()
    return record


def make_running_ip_log(report: Filing, uploader: User) -> IpLogAttachment:
    """An IP log whose job a worker took up a minute ago and has not finished: the log's own
    row still reads queued, for the job's work commits only at its end."""
    record = IpLogAttachment(
        filing_id=report.id,
        status="queued",
        filename="vpn-gateway-2027-01.csv",
        size_bytes=4_800_000,
        sha256="0" * 64,
        attached_at=utcnow() - timedelta(minutes=1),
        attached_by_id=uploader.id,
    )
    db.session.add(record)
    db.session.flush()
    _job_running_since("ip_log_attachment", record.id, uploader, utcnow() - timedelta(minutes=1))
    db.session.commit()
    return record


def make_resellers(provider: Provider, count: int, **fields: object) -> list[ForeignReseller]:
    """``count`` foreign resellers of the provider, spread over several jurisdictions."""
    resellers = [
        ForeignReseller(
            provider_id=provider.id,
            name=f"Reseller {number:05d} Cloud Ltd",
            jurisdiction=RESELLER_JURISDICTIONS[number % len(RESELLER_JURISDICTIONS)],
            status="active",
            began_on=date(2023, 1, 1) + timedelta(days=number % 700),
            contact_name=f"Contact {number}",
            contact_email=f"compliance{number}@reseller{number}.example",
            **fields,
        )
        for number in range(count)
    ]
    db.session.add_all(resellers)
    db.session.commit()
    return resellers


def log_in(client: FlaskClient, user: User, password: str = PASSWORD):
    return client.post(
        "/login",
        data={"acknowledge": "y", "email": user.email, "password": password},
        follow_redirects=False,
    )


def make_admin(**kwargs: object) -> User:
    """An administrator with the second factor that docs/architecture.md §8 requires, already
    set up."""
    admin = make_user(Role.ADMIN, **kwargs)
    admin.totp_secret_encrypted = crypto.encrypt(pyotp.random_base32())
    admin.totp_enabled_at = utcnow()
    db.session.commit()
    return admin


def log_in_admin(client: FlaskClient, admin: User, password: str = PASSWORD):
    """Both steps of an administrator's sign-in: password, then the current code."""
    log_in(client, admin, password)
    code = pyotp.TOTP(crypto.decrypt(admin.totp_secret_encrypted)).now()
    return client.post("/login/code", data={"code": code})


def wrong_code(secret: str) -> str:
    """A six-digit code the authenticator holding ``secret`` does not show in any of the three
    time steps a sign-in accepts (a fixed guess matches them one time in about 330,000)."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(utcnow())
    accepted = {totp.generate_otp(near) for near in range(step - 2, step + 3)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def set_office_settings(**changes: str) -> None:
    """The signing officials and CUI point of contact the demonstration office uses."""
    from core.office import services as office
    from demo import OFFICE_SETTINGS

    office.save({**OFFICE_SETTINGS, **changes}, actor=None)
    db.session.commit()


def make_measure(
    issued_on: date | None = None,
    *,
    kind: str = "jurisdiction",
    stop_at: str = "issued",
    analyst: User | None = None,
    reviewer: User | None = None,
):
    """A special-measure case taken through the services as the office would: referral,
    evaluation, the six consultations answered, determination drafted, approved by another
    person and issued on ``issued_on`` (each step dated as if done then). ``stop_at`` leaves it
    at "consultation", "drafted", "in review" or "approved"."""
    from core.approvals import services as approvals
    from core.consultations import services as consultations
    from core.consultations.rules import Position
    from special_measures import rules as measure_rules
    from special_measures import services as measures

    issued_on = issued_on or clocks.office_today()
    analyst = analyst or make_user(Role.ANALYST)
    reviewer = reviewer or make_user(Role.REVIEWER)
    subject = measure_rules.SubjectKind(kind)
    referral = measures.Referral(
        source=measure_rules.ReferralSource.AGENCY,
        referring_agency="Federal Bureau of Investigation",
        received_on=issued_on - timedelta(days=60),
        summary="Ransomware operators rent U.S. IaaS accounts through local resellers.",
        subject_kind=subject,
        jurisdiction="RU",
        person_name="Volga Hosting Group LLC" if kind == "person" else "",
        aliases=["VHG", "Volga Host"] if kind == "person" else [],
    )
    case = measures.open_case(referral, actor=analyst, today=issued_on - timedelta(days=50))
    measures.save_evaluation(
        case,
        {
            factor.code: (f"Reasons for {factor.citation}.", "")
            for factor in measure_rules.evaluation_factors(subject)
        },
        actor=analyst,
    )
    measures.request_case_consultations(
        case,
        summary="Position on a special measure.",
        respond_by=issued_on - timedelta(days=20),
        optional_agencies=(),
        actor=analyst,
        today=issued_on - timedelta(days=40),
    )
    for consultation in consultations.for_subject(measures.CASE, case.id):
        consultations.record_position(
            consultation, position=Position.CONCUR, comments="", actor=analyst
        )
    db.session.commit()
    if stop_at == "consultation":
        return case
    draft = measures.DeterminationDraft(
        evaluation_summary="Forty incidents in 2026 traced to accounts resold in the jurisdiction.",
        measure_kind=measure_rules.MeasureKind.PROHIBITION,
        conditions="",
        consistency="Consistent with E.O. 13984 §1 and 15 CFR 7.307.",
        compliance_on=issued_on + timedelta(days=200),
        selection={f.code: (f"Weighed {f.citation}.", "") for f in measure_rules.SELECTION_FACTORS},
    )
    measures.save_determination(case, draft, actor=analyst, today=issued_on)
    db.session.commit()
    if stop_at == "drafted":
        return case
    measures.submit_determination(case, actor=analyst)
    db.session.commit()
    if stop_at == "in review":
        return case
    measures.decide_determination(case, approve=True, comments="", actor=reviewer)
    review = approvals.latest_review(measures.CASE, case.id)
    review.decided_at = datetime.combine(issued_on, time(12), clocks.OFFICE_TIME_ZONE)
    db.session.commit()
    if stop_at == "approved":
        return case
    measures.issue_determination(case, issued_on=issued_on, actor=analyst, today=issued_on)
    db.session.commit()
    # The screening job that issuance queued runs now (the suite's queue is immediate).
    send_committed()
    return case


def make_filing(provider: Provider, kind: str = "cip_certification", *, actor: User | None = None):
    """A filing received today through the intake service, with the example payload."""
    data = payload(kind)
    submission = intake.Submission(
        kind=kind, payload=data, raw=json.dumps({"kind": kind, "payload": data}), channel="web"
    )
    filing = intake.receive_filing(provider, submission, actor=actor).filing
    db.session.commit()
    return filing


def file_exemption_request(provider: Provider | None = None, **changes: object):
    """A request for an exemption filed by the provider's system; the case it opens."""
    from exemptions import services as exemptions
    from intake import services as intake
    from intake.examples import payload

    provider = provider or make_provider()
    data = payload("exemption_request", **changes)
    submission = intake.Submission(
        kind="exemption_request", payload=data, raw=json.dumps(data), channel="api"
    )
    filing = intake.receive_filing(provider, submission).filing
    db.session.commit()
    return exemptions.case_for_filing(filing.id)


FINDING_REASONS = {
    "size": "Scaled to 18,250 customers with a dedicated team.",
    "robustness": "Red Flags detected hourly and answered within a day.",
    "reseller_oversight": "Resellers audited yearly against the same Red Flags.",
    "law_enforcement": "Forensic logs provided for confirmed intrusions.",
    "collaboration": "Shares hashed indicators through a consortium.",
}


def prepare_finding(
    case,
    *,
    analyst: User,
    today: date = date(2027, 3, 1),
    optional_agencies: tuple[str, ...] = (),
    silent: tuple[str, ...] = (),
):
    """Review, consultation (every agency concurs but the ``silent`` ones) and a drafted
    finding to grant, ready to go to review."""
    from core.consultations import services as consultations
    from core.consultations.rules import Position
    from exemptions import services as exemptions

    exemptions.start_review(case, actor=analyst)
    for consultation in exemptions.consult_agencies(
        case,
        summary="Northwind asks to be exempted under §7.306.",
        requested_on=today - timedelta(days=40),
        respond_by=today - timedelta(days=10),
        optional_agencies=optional_agencies,
        actor=analyst,
    ):
        if consultation.agency not in silent:
            consultations.record_position(
                consultation, position=Position.CONCUR, comments="", actor=analyst
            )
    exemptions.draft_finding(
        case,
        assessments={key: ("satisfied", text) for key, text in FINDING_REASONS.items()},
        decision="grant",
        actor=analyst,
    )
    return case


def grant_exemption(case, *, analyst: User, reviewer: User, today: date = date(2027, 3, 1)):
    """Take a case through review, consultation and an approved finding to grant."""
    from exemptions import services as exemptions

    prepare_finding(case, analyst=analyst, today=today)
    exemptions.submit_finding(case, actor=analyst)
    exemptions.decide_finding(case, approve=True, comments="", actor=reviewer, today=today)
    db.session.commit()
    return case


def file_report(
    provider: Provider,
    kind: str = "ai_initial_report",
    *,
    supersedes: str | None = None,
    actor: User | None = None,
    **changes: object,
):
    """An AI training report (§7.308) received today by API, its transaction five days ago
    unless ``changes`` say otherwise."""
    five_days_ago = (clocks.office_today() - timedelta(days=5)).isoformat()
    dated = {"transaction_on": five_days_ago} if "transaction_on" in payload(kind) else {}
    if kind == "ai_corrected_report":
        dated["inaccuracy_known_on"] = five_days_ago
    data = payload(kind, **{**dated, **changes})
    body = {"kind": kind, "payload": data, **({"supersedes": supersedes} if supersedes else {})}
    submission = intake.Submission(
        kind=kind, payload=data, raw=json.dumps(body), channel="api", supersedes=supersedes
    )
    filing = intake.receive_filing(provider, submission, actor=actor).filing
    db.session.commit()
    return filing


def extend_measure(case, *, new_last_day: date, published_on: date, today: date | None = None):
    """An extension of an issued measure drafted, approved by a reviewer and recorded with its
    Federal Register notice (§7.307(a)(5))."""
    from special_measures import actions as measure_actions

    today = today or published_on
    action = measure_actions.draft_action(
        case, kind=ActionKind.EXTENSION, reasons="Incidents continue at the same rate.",
        new_last_day_on=new_last_day, effective_on=None, actor=case.drafted_by, today=today,
    )  # fmt: skip
    measure_actions.decide_action(action, approve=True, comments="", actor=make_user(Role.REVIEWER))
    measure_actions.record_extension(
        action, federal_register_citation="93 FR 4567", published_on=published_on,
        actor=case.drafted_by, today=today,
    )  # fmt: skip
    db.session.commit()
    send_committed()
    return action


def revoke_measure(case, *, effective_on: date):
    """A revocation of an issued measure drafted, approved and recorded on ``effective_on``."""
    from special_measures import actions as measure_actions

    action = measure_actions.draft_action(
        case, kind=ActionKind.REVOCATION, reasons="The jurisdiction has acted.",
        new_last_day_on=None, effective_on=effective_on, actor=case.drafted_by, today=effective_on,
    )  # fmt: skip
    measure_actions.decide_action(action, approve=True, comments="", actor=make_user(Role.REVIEWER))
    measure_actions.record_revocation(action, actor=case.drafted_by, today=effective_on)
    db.session.commit()
    return action


def run_daily(run) -> Job:
    """Today's run of a daily job, as the scheduler asks for it at its time: stored once and run
    by the suite's immediate queue. The job's record as it ended."""
    from core.jobs.services import enqueue_daily

    enqueue_daily(run)
    newest = select(Job).where(Job.kind == run.kind).order_by(Job.id.desc())
    return db.session.scalars(newest).first()


def at_once(app: Flask, count: int, act: Callable[[User], str], *, actor: User) -> list[str]:
    """``count`` people acting at the same moment, each in a request's own application context
    and database session, as ``actor``; what each act returned, after its commit."""
    actor_id = actor.id
    start = threading.Barrier(count)

    def one(_: int) -> str:
        with app.app_context():
            person = db.session.get(User, actor_id)
            start.wait()
            result = act(person)
            db.session.commit()
            return result

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def one_of_each() -> dict[str, object]:
    """A record of each kind a page is about (a provider, a deadline, an exemption case, an
    issued measure with a drafted action, a screening run, an oversight case, a penalty, an
    assessment), by the name of the address argument that finds it."""
    from casework import services as casework
    from casework.oversight import services as oversight_services
    from casework.oversight.rules import EvidenceKind
    from casework.penalties import services as penalties
    from casework.penalties.rules import ProceedingKind
    from casework.rules import AssessmentOrigin
    from core.deadlines import services as deadlines
    from special_measures import actions as measure_actions

    provider = make_provider()
    deadline = deadlines.open_deadline(
        "cip.copy_on_request",
        subject=("provider", provider.id),
        subject_label=provider.legal_name,
        start_on=clocks.office_today(),
        actor=None,
    )
    case = file_exemption_request(provider)
    db.session.commit()
    measure = make_measure()
    action = measure_actions.draft_action(
        measure, kind="revocation", reasons="No longer needed.", new_last_day_on=None,
        effective_on=clocks.office_today(), actor=measure.drafted_by, today=clocks.office_today(),
    )  # fmt: skip
    reseller = ForeignReseller(provider_id=provider.id, name="Neva Cloud", jurisdiction="RU")
    db.session.add(reseller)
    run = screening.screen_provider_resellers(
        provider, relevant_on=clocks.office_today(), actor=None
    )
    db.session.commit()
    oversight = oversight_services.open_oversight(
        reseller,
        evidence_kind=EvidenceKind.NO_CIP, evidence="No written CIP.",
        received_on=clocks.office_today(),
        reported_to_authorities="", actor=make_user(Role.ANALYST), today=clocks.office_today(),
    )  # fmt: skip
    penalty = penalties.draft_penalty(
        provider, violations=violations_of("a2"), conduct="Never certified.",
        proposed_amount=10_000, actor=make_user(Role.ANALYST), today=clocks.office_today(),
    )  # fmt: skip
    proceeding = penalties.record_proceeding(
        penalty, kind=ProceedingKind.REFERRAL, started_on=clocks.office_today(),
        note="Referred for criminal action.", actor=make_user(Role.ANALYST),
        today=clocks.office_today(),
    )  # fmt: skip
    assessment = casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=make_user(Role.ANALYST), today=clocks.office_today(),
    )  # fmt: skip
    db.session.commit()
    return {
        "assessment_id": assessment.id,
        "penalty_id": penalty.id,
        "proceeding_id": proceeding.id,
        "oversight_id": oversight.id,
        "reseller_id": reseller.id,
        "run_id": run.id,
        "hit_id": run.hits[0].id,
        "notice_id": measure.notices[0].id,
        "action_id": action.id,
        "provider_id": provider.id,
        "case_id": case.id,
        "deadline_id": deadline.id,
        "key": "penalty.ieepa_civil_cap",
        "kind": "cip_certification",
    }


def commit_and_deliver() -> None:
    """Commit, and run the jobs the transaction queued (the messages to deliver), as the end of
    a request does with the suite's immediate queue."""
    db.session.commit()
    send_committed()


def notices_of(user: User, kind: str | None = None) -> list:
    """A person's inbox items (of one kind), oldest first."""
    from core.notifications.models import Notification

    query = select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


# --- Accounts made in the browser and their one-time links ---------------------------------------

NEW_PASSWORD = "copper-meadow-violin-1987"


def make_enrolling_user(role: Role = Role.ANALYST, *, agency: str | None = None) -> User:
    """An account an administrator made in the browser, waiting for its owner's password."""
    number = next(_sequence)
    user = accounts.create_user(
        email=f"new.{role.value}{number}@oicts.example", full_name=f"{NAMES[role]} {number}",
        role=role, password=None, agency=agency or ("DHS" if role is Role.LIAISON else None),
        actor=None,
    )  # fmt: skip
    db.session.commit()
    return user


def link_path(text: str, marker: str) -> str:
    """The path of the one-time link (``/account/reset/``, ``/account/enrol/``…) that a
    message's text carries, as its recipient follows it."""
    address = next(word for word in text.split() if marker in word)
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


def start_other_session(user: User) -> int:
    """A session of ``user`` in another browser (left signed in elsewhere); its id."""
    accounts.start_session(user)
    db.session.commit()
    return accounts.live_sessions(user)[0].id


# --- The search box and the queue of screening hits ------------------------------------------


def add_reseller(provider: Provider, name: str, jurisdiction: str, **fields: object):
    """One foreign reseller entered on the provider's list, active."""
    reseller = ForeignReseller(
        provider_id=provider.id, name=name, jurisdiction=jurisdiction, **fields
    )
    db.session.add(reseller)
    db.session.commit()
    return reseller


# --- The filings inbox and lists at office scale ----------------------------------------------


def receive_filing_on(
    provider: Provider,
    kind: str = "annual_certification",
    *,
    days_ago: int,
    channel: str = "api",
    **changes: object,
) -> Filing:
    """A filing received ``days_ago`` days ago (at noon UTC) through the intake service, so
    that its timeliness and warnings are intake's own verdict on that day."""
    data = payload(kind, **changes)
    submission = intake.Submission(
        kind=kind, payload=data, raw=json.dumps({"kind": kind, "payload": data}), channel=channel
    )
    day = clocks.office_today() - timedelta(days=days_ago)
    received_at = datetime.combine(day, time(12, 0), tzinfo=UTC)
    filing = intake.receive_filing(provider, submission, received_at=received_at).filing
    db.session.commit()
    return filing


def make_violation_report(**changes: object):
    """A report of a suspected violation as the public page keeps it (§7.310)."""
    from violation_reports import services as reports
    from violation_reports.rules import Requirement, Timing

    fields: dict[str, object] = {
        "requirement": Requirement.CIP,
        "timing": Timing.OCCURRED,
        "concerns": "Northwind Cloud Services",
        "description": "Accounts are opened for foreign customers without any identity check.",
        "contact": reports.Contact("Ada Reporter", "ada@example.org", "+1 202 555 0100"),
        "uploads": [],
        **changes,
    }
    report = reports.submit(**fields)
    db.session.commit()
    return report
