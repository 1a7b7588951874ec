"""``flask seed-demo``: a believable office for demonstrations and local development.

All names, addresses and people are invented. Dates are set relative to today so that the
deadline board always shows something overdue, something due soon and something later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core import clocks, transactions
from core.approvals import services as approvals
from core.auth import services as accounts
from core.auth.models import User
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db, utcnow
from core.office import rules as office_rules
from core.office import services as office
from intake import examples
from intake import services as intake
from intake.ai import services as ai_services
from intake.models import Filing, Provider
from special_measures import rules as measure_rules
from special_measures import services as measures
from special_measures.models import SpecialMeasureCase

DEMO_PASSWORD = "oicts-demo-passphrase-2026"  # noqa: S105 (demo accounts only; printed on purpose)
DEMO_LOGIN = "dana.whitfield@oicts.example"

PEOPLE = (
    ("Dana Whitfield", DEMO_LOGIN, Role.ANALYST, None),
    ("Marcus Oyelaran", "marcus.oyelaran@oicts.example", Role.ANALYST, None),
    ("Priya Raman", "priya.raman@oicts.example", Role.REVIEWER, None),
    ("Thomas Keller", "thomas.keller@oicts.example", Role.ADMIN, None),
    ("Grace Liu", "grace.liu@oicts.example", Role.VIEWER, None),
    ("Col. Jordan Hayes", "jordan.hayes@dod.example", Role.LIAISON, "DoD"),
    ("Elena Marsh", "elena.marsh@doj.example", Role.LIAISON, "DOJ"),
    ("Samuel Okafor", "samuel.okafor@dhs.example", Role.LIAISON, "DHS"),
    ("Rebecca Stone", "rebecca.stone@dni.example", Role.LIAISON, "DNI"),
    ("Aaron Feld", "aaron.feld@state.example", Role.LIAISON, "State"),
    ("Mei Tanaka", "mei.tanaka@treasury.example", Role.LIAISON, "Treasury"),
)


@dataclass(frozen=True)
class DemoProvider:
    legal_name: str
    business_names: tuple[str, ...]
    street: str
    city: str
    state: str
    postal_code: str
    is_us_reseller: bool
    contact: tuple[str, str, str, str]
    # Days since its last CIP certification, which sets where its annual clock stands today.
    certified_days_ago: int


PROVIDERS = (
    DemoProvider(
        "Northwind Cloud Services, Inc.",
        ("Northwind Cloud",),
        "1200 Harbor Blvd",
        "Seattle",
        "WA",
        "98101",
        False,
        ("Alicia Moreno", "Chief Compliance Officer", "amoreno@northwind.example", "+12065550142"),
        372,
    ),
    DemoProvider(
        "Bluegill Compute LLC",
        ("Bluegill", "BG Compute"),
        "45 Lake Shore Dr",
        "Chicago",
        "IL",
        "60611",
        False,
        ("Henry Boateng", "Trust & Safety Director", "hboateng@bluegill.example", "+13125550188"),
        355,
    ),
    DemoProvider(
        "Cascade Hosting Corp.",
        ("Cascade Hosting",),
        "300 Pine St",
        "Portland",
        "OR",
        "97204",
        True,
        ("Laura Kim", "General Counsel", "lkim@cascade.example", "+15035550117"),
        300,
    ),
    DemoProvider(
        "Ironbridge Data Centers, Inc.",
        ("Ironbridge",),
        "88 Foundry Way",
        "Pittsburgh",
        "PA",
        "15222",
        False,
        ("Victor Salas", "VP, Risk", "vsalas@ironbridge.example", "+14125550163"),
        380,
    ),
    DemoProvider(
        "Meridian Edge Networks LLC",
        ("Meridian Edge",),
        "2100 Commerce St",
        "Dallas",
        "TX",
        "75201",
        False,
        ("Nadia Haddad", "Compliance Manager", "nhaddad@meridian.example", "+12145550120"),
        120,
    ),
    DemoProvider(
        "Pinecrest Virtual Infrastructure, Inc.",
        ("Pinecrest VI",),
        "9 Granite Ave",
        "Denver",
        "CO",
        "80202",
        False,
        (
            "Owen Fitzgerald",
            "Chief Information Security Officer",
            "ofitzgerald@pinecrest.example",
            "+17205550199",
        ),
        340,
    ),
    DemoProvider(
        "Redwood GPU Cloud, Inc.",
        ("Redwood AI Cloud",),
        "600 Market St",
        "San Francisco",
        "CA",
        "94105",
        False,
        ("Sofia Castillo", "Head of Compliance", "scastillo@redwoodgpu.example", "+14155550131"),
        200,
    ),
    DemoProvider(
        "Silverline Hosting Co.",
        ("Silverline",),
        "14 Peachtree Pl",
        "Atlanta",
        "GA",
        "30309",
        True,
        ("Derek Chu", "Operations Director", "dchu@silverline.example", "+14045550176"),
        352,
    ),
    DemoProvider(
        "Tidewater Compute, Inc.",
        ("Tidewater",),
        "77 Waterside Dr",
        "Norfolk",
        "VA",
        "23510",
        False,
        ("Hannah Price", "Compliance Officer", "hprice@tidewater.example", "+17575550108"),
        60,
    ),
    DemoProvider(
        "Harborview Cloud LLC",
        ("Harborview",),
        "501 Atlantic Ave",
        "Boston",
        "MA",
        "02210",
        False,
        ("Gabriel Rossi", "Chief Legal Officer", "grossi@harborview.example", "+16175550154"),
        330,
    ),
    DemoProvider(
        "Summit Stack Technologies, Inc.",
        ("Summit Stack", "SST Cloud"),
        "3100 Capitol Way",
        "Sacramento",
        "CA",
        "95814",
        False,
        ("Irene Novak", "Director of Trust", "inovak@summitstack.example", "+19165550145"),
        250,
    ),
    DemoProvider(
        "Lakeshore Servers, Inc.",
        ("Lakeshore",),
        "220 Lakefront Rd",
        "Cleveland",
        "OH",
        "44114",
        False,
        ("Martin Osei", "Security & Compliance Lead", "mosei@lakeshore.example", "+12165550172"),
        390,
    ),
)


def _create_people() -> dict[str, User]:
    people = {}
    for full_name, email, role, agency in PEOPLE:
        people[email] = accounts.create_user(
            email=email,
            full_name=full_name,
            role=role,
            password=DEMO_PASSWORD,
            agency=agency,
            actor=None,
        )
    return people


def _create_provider(spec: DemoProvider, today: date) -> Provider:
    name, title, email, phone = spec.contact
    provider = Provider(
        legal_name=spec.legal_name,
        business_names=list(spec.business_names),
        street_address=spec.street,
        city=spec.city,
        state=spec.state,
        postal_code=spec.postal_code,
        is_us_reseller=spec.is_us_reseller,
        contact_name=name,
        contact_title=title,
        contact_email=email,
        contact_phone=phone,
        first_foreign_account_on=today - timedelta(days=spec.certified_days_ago + 400),
    )
    db.session.add(provider)
    db.session.flush()
    return provider


def _certify(provider: Provider, spec: DemoProvider, actor: User) -> None:
    """The provider's last CIP certification, received ``certified_days_ago`` (§7.304(a))."""
    name, title, email, phone = spec.contact
    data = examples.payload(
        "cip_certification",
        primary_contact_name=name,
        primary_contact_title=title,
        primary_contact_email=email,
        primary_contact_phone=phone,
    )
    submission = intake.Submission(
        kind="cip_certification",
        payload=data,
        raw=json.dumps({"kind": "cip_certification", "payload": data}),
        channel="web",
    )
    received_at = utcnow() - timedelta(days=spec.certified_days_ago)
    intake.receive_filing(provider, submission, actor=actor, received_at=received_at)


def _walk_to_issuance(case: SpecialMeasureCase, people: dict[str, User], issued_on: date) -> None:
    """Draft, approve (by the reviewer, as of the issuance day) and issue a determination."""
    analyst, reviewer = people[DEMO_LOGIN], people["priya.raman@oicts.example"]
    draft = measures.DeterminationDraft(
        evaluation_summary="Twenty-six intrusion campaigns in 2026 ran from accounts the person "
        "resold under new names after each takedown.",
        measure_kind=measure_rules.MeasureKind.CONDITIONS,
        conditions="Accounts for or on behalf of the person may be kept only with documentary "
        "identity verification of every user and monthly reports of access addresses.",
        consistency="The measure addresses malicious cyber-enabled activity using U.S. IaaS "
        "products, as E.O. 13984 §1 directs, and reaches only Accounts involving the person.",
        compliance_on=issued_on + timedelta(days=181),
        selection={
            f.code: ("Weighed; see the evaluation.", "") for f in measure_rules.SELECTION_FACTORS
        },
    )
    measures.save_determination(case, draft, actor=analyst, today=issued_on)
    measures.submit_determination(case, actor=analyst)
    measures.decide_determination(case, approve=True, comments="", actor=reviewer)
    review = approvals.latest_review(measures.CASE, case.id)
    assert review is not None
    review.decided_at = datetime.combine(issued_on, time(11), clocks.OFFICE_TIME_ZONE)
    measures.issue_determination(case, issued_on=issued_on, actor=analyst, today=issued_on)


def _seed_special_measures(people: dict[str, User], today: date) -> None:
    """One measure issued twelve days ago whose letters to Congress are overdue, and one
    referral half-way through consultation (§7.307)."""
    analyst = people[DEMO_LOGIN]
    for name, aliases, days_ago, answered in (
        ("Corvane Hosting Ltd", ["Corvane Cloud", "CVH Networks"], 60, 6),
        ("Halvard Data Services", ["Halvard DS"], 20, 3),
    ):
        started = today - timedelta(days=days_ago)
        referral = measures.Referral(
            source=measure_rules.ReferralSource.AGENCY,
            referring_agency="Cybersecurity and Infrastructure Security Agency",
            received_on=started,
            summary=f"{name} resells U.S. IaaS accounts used to stage intrusion campaigns.",
            subject_kind=measure_rules.SubjectKind.PERSON,
            person_name=name,
            aliases=aliases,
        )
        case = measures.open_case(referral, actor=analyst, today=started)
        measures.save_evaluation(
            case,
            {f.code: (f"Assessed from the referral and filings ({f.citation}).", "")
             for f in measure_rules.PERSON_FACTORS},
            actor=analyst,
        )  # fmt: skip
        measures.request_case_consultations(
            case, summary=f"Should a special measure be imposed with respect to {name}?",
            respond_by=started + timedelta(days=21), optional_agencies=(), actor=analyst,
            today=started + timedelta(days=2),
        )  # fmt: skip
        liaisons = {user.agency: user for user in people.values() if user.agency}
        for consultation in consultations.for_subject(measures.CASE, case.id)[:answered]:
            consultations.record_position(
                consultation, position=Position.CONCUR, comments="",
                actor=liaisons[consultation.agency],
            )  # fmt: skip
        if answered == 6:
            _walk_to_issuance(case, people, today - timedelta(days=12))


def _request_exemption(provider: Provider, analyst: User, today: date) -> None:
    """An exemption request in consultation (§7.306(e)(2)): DoD has answered, the other
    required agencies' liaisons have it waiting."""
    from exemptions import services as exemptions

    data = examples.payload("exemption_request")
    submission = intake.Submission(
        kind="exemption_request",
        payload=data,
        raw=json.dumps({"kind": "exemption_request", "payload": data}),
        channel="api",
    )
    filing = intake.receive_filing(provider, submission).filing
    case = exemptions.case_for_filing(filing.id)
    exemptions.start_review(case, actor=analyst)
    asked = exemptions.consult_agencies(
        case,
        summary=f"{provider.legal_name} asks to be exempted from §§7.302, 7.304 and 7.305 on the "
        "strength of its Abuse of IaaS Products Deterrence Program.",
        requested_on=today - timedelta(days=5),
        respond_by=today + timedelta(days=25),
        optional_agencies=(),
        actor=analyst,
    )
    dod = next(consultation for consultation in asked if consultation.agency == "DoD")
    consultations.record_position(dod, position=Position.CONCUR, comments="", actor=analyst)


def _report_training(provider: Provider, today: date, **changes: object) -> Filing:
    """A large AI model training report received by API (§7.308(c)(1))."""
    data = examples.payload(
        "ai_initial_report", transaction_on=(today - timedelta(days=6)).isoformat(), **changes
    )
    submission = intake.Submission(
        kind="ai_initial_report",
        payload=data,
        raw=json.dumps({"kind": "ai_initial_report", "payload": data}),
        channel="api",
    )
    return intake.receive_filing(provider, submission).filing


def _seed_training_reports(providers: list[Provider], analyst: User, today: date) -> None:
    """Two providers report the same foreign customer's runs, sharing an email, a wallet and an
    address (a pattern the cross-filing search shows); the second estimate is below what its
    hardware could do, and the Department has asked about it (§7.308(e))."""
    _report_training(providers[2], today)
    questioned = _report_training(
        providers[7], today, estimated_operations=9e25, accelerator_count=20_000,
        person_name="Kestrel AI Labs Sdn Bhd", organised_in="MY", address_country="MY",
    )  # fmt: skip
    ai_services.request_information(
        questioned, requested_on=today, actor=analyst, today=today,
        note="How is the run limited below 1e26 operations on 20,000 accelerators?",
    )  # fmt: skip


# Who signs the letters the office prints, and whom its CUI documents name (invented, like
# everyone here).
OFFICE_SETTINGS = {
    office_rules.CONGRESS_SIGNER_NAME: "Margaret A. Ellison",
    office_rules.CONGRESS_SIGNER_TITLE: "Under Secretary of Commerce for Industry and Security",
    office_rules.PROVIDER_SIGNER_NAME: "Daniel R. Okonkwo",
    office_rules.PROVIDER_SIGNER_TITLE: "Executive Director, Office of Information and "
    "Communications Technology and Services",
    office_rules.CUI_POC: "Thomas Keller, OICTS CUI Program, (202) 555-0147, cui@oicts.example",
}


def _seed_owners(people: dict[str, User], providers: list[Provider], today: date) -> None:
    """Cases shared between the two analysts, each in a team: an assessment of four providers,
    two each, and the special-measure cases in turn (docs/architecture.md §16)."""
    from casework import services as casework
    from casework.rules import AssessmentOrigin
    from core.ownership import registry
    from core.ownership import services as ownership

    analysts = (people[DEMO_LOGIN], people["marcus.oyelaran@oicts.example"])
    admin = people["thomas.keller@oicts.example"]
    assessing = ownership.add_team("Compliance assessments", actor=admin)
    measuring = ownership.add_team("Special measures and exemptions", actor=admin)
    assessment_kind = registry.kind("assessment")
    measure_kind = registry.kind("special_measure")
    assert assessment_kind is not None and measure_kind is not None
    for index, provider in enumerate(providers[:4]):
        opener = analysts[index % 2]
        assessment = casework.open_assessment(
            provider, origin=AssessmentOrigin.RISK_QUEUE, origin_note="",
            scope="The written CIP and how it is carried out (§7.302).", actor=opener, today=today,
        )  # fmt: skip
        ownership.reassign(assessment_kind, assessment, owner_id=opener.id,
                           team_id=assessing.id, actor=opener)  # fmt: skip
    cases = db.session.scalars(select(SpecialMeasureCase).order_by(SpecialMeasureCase.id))
    for index, case in enumerate(cases):
        if measure_kind.is_open(case):
            ownership.reassign(measure_kind, case, owner_id=analysts[index % 2].id,
                               team_id=measuring.id, actor=analysts[0])  # fmt: skip


def seed(today: date) -> dict[str, User]:
    people = _create_people()
    office.save(OFFICE_SETTINGS, actor=people["thomas.keller@oicts.example"])
    analysts = [people[DEMO_LOGIN], people["marcus.oyelaran@oicts.example"]]
    providers = []
    for index, spec in enumerate(PROVIDERS):
        provider = _create_provider(spec, today)
        providers.append(provider)
        analyst = analysts[index % 2]
        if index % 6 != 5:  # every sixth provider has never certified
            _certify(provider, spec, analyst)
        if index % 4 == 1:
            intake.request_cip_copy(
                provider,
                reseller=None,
                requested_on=today - timedelta(days=3 + index),
                actor=analyst,
                today=today,
                note="Routine inspection of the written CIP.",
                # Sent by post on the day of the request, so its 10 days are running.
                sent_by_hand=True,
            )
        if index == 5:
            _request_exemption(provider, analyst, today)
    _seed_special_measures(people, today)
    _seed_training_reports(providers, analysts[0], today)
    _seed_owners(people, providers, today)
    return people


@click.command("seed-demo")
@with_appcontext
@transactions.command
def seed_demo_command() -> None:
    """Fill an empty database with a demonstration office."""
    if accounts.count_users():
        click.echo("The database already has users; demo data was not added.")
    else:
        seed(clocks.office_today())
        click.echo(f"Demo office created: {len(PEOPLE)} people, {len(PROVIDERS)} providers.")
    click.echo(f"Sign in as {DEMO_LOGIN} (analyst) with the password: {DEMO_PASSWORD}")
    click.echo("Other demo accounts (same password): flask users list")
