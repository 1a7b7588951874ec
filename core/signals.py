"""Every reaction of one module to another, as a named signal (blinker, which Flask uses for its
own), so that no module imports another and the kernel imports none (docs/architecture.md §6).

Each module's ``init_app(app)`` connects its receivers for that application only (the
application is the sender), so two applications built in one process never share receivers,
and building one twice does not connect anything twice. Receivers take the payload as keyword
arguments, as documented on each signal; what a receiver writes is flushed in the sender's
transaction and commits or rolls back with the request (``core.transactions``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from blinker import Namespace, Signal
from flask import Flask, current_app

_signals = Namespace()

# --- Things that happened --------------------------------------------------------------------

filing_received = _signals.signal(
    "filing-received",
    doc="""A filing of any kind was stored. Payload: ``filing`` (intake.models.Filing, flushed),
    ``actor`` (the User who keyed it in, or None for a provider's system). Exemptions opens a
    case for an exemption request (§7.306).""",
)
ai_report_received = _signals.signal(
    "ai-report-received",
    doc="""A report of a large AI training run was stored (§7.308). Payload: ``filing``,
    ``actor`` (as for ``filing_received``) and ``parties`` (list of dicts, each with ``name``
    and ``jurisdiction``, the foreign persons the report names). Special measures screens the
    parties against the measures in force (§7.307).""",
)
reseller_certification_received = _signals.signal(
    "reseller-certification-received",
    doc="""A compiled foreign-reseller certification was stored (§7.304(e)-(f)). Payload:
    ``filing`` and ``actor`` (as for ``filing_received``). Special measures screens the
    resellers it lists.""",
)
position_recorded = _signals.signal(
    "position-recorded",
    doc="""An agency recorded its position on a consultation. Payload: ``consultation``
    (core.consultations.models.Consultation) and ``actor`` (the liaison's User). The module that
    asked moves its case on once every position is in.""",
)
deadlines_due_soon = _signals.signal(
    "deadlines-due-soon",
    doc="""The daily sweep of the clocks found what falls due (core.deadlines). Payload:
    ``today`` (the office's date), ``due_soon`` (open core.deadlines.models.Deadline rows due
    from today to ``core.deadlines.rules.NOTICE_DAYS`` ahead, soonest first) and ``overdue``
    (open rows whose due date has passed, oldest first). Sent in the daily run's transaction;
    notifications tell each deadline's assignee, once for each.""",
)
deadline_assigned = _signals.signal(
    "deadline-assigned",
    doc="""Someone was made the assignee of an open clock (core.deadlines), when it was opened
    or later. Payload: ``deadline`` (core.deadlines.models.Deadline, its ``assignee`` set) and
    ``actor`` (the User who assigned it, or None for the system). Sent in the assigning
    transaction; notifications tell the assignee, unless they assigned it to themselves.""",
)
audit_check_failed = _signals.signal(
    "audit-check-failed",
    doc="""The daily check of the audit trail failed (core.audit.checks). Payload: ``job``
    (core.jobs.models.Job, failed, with its page at /jobs/<id>) and ``reason`` (str: the first
    broken event, or why the check could not run). Sent in the transaction that fails the job;
    notifications tell every active administrator.""",
)

job_failed = _signals.signal(
    "job-failed",
    doc="""A job failed for good: its attempts are spent, or it was refused (core.jobs). Payload:
    ``job`` (core.jobs.models.Job, failed, its reason in ``failure_reason``). Sent in the
    transaction that fails it; notifications tell the person who started it.""",
)
mail_sent = _signals.signal(
    "mail-sent",
    doc="""A message was handed to the mail server, or kept in the development outbox where no
    server is configured (core.notifications). Payload: ``mail``
    (core.notifications.models.OutgoingMail, its ``sent_at`` set, ``about_type`` and
    ``about_id`` naming the record it is about). Sent in the delivery job's transaction: the
    module owning that record records the sending there, and opens the clock the rule starts
    from the recipient's receipt.""",
)
mail_undeliverable = _signals.signal(
    "mail-undeliverable",
    doc="""A message's last attempt failed (core.notifications). Payload: ``mail`` (as for
    ``mail_sent``, its state failed) and ``reason`` (str: the server's last answer). The module
    owning the record it is about flags it as not delivered.""",
)
correspondence_sent = _signals.signal(
    "correspondence-sent",
    doc="""A document the office issued to a provider reached it (intake.correspondence): its
    email was sent, an analyst recorded its sending by another means, or the provider's system
    read it through the filing API first. Payload: ``correspondence``
    (intake.correspondence.models.Correspondence, with ``sent_on`` and ``sent_by`` set, and its
    ``subject_type``/``subject_id``) and ``actor`` (the User who recorded it, or None when the
    mail delivery job or the provider's system did). Sent once per document, in the
    transaction that records it. The module owning the subject opens the clock the rule starts
    from receipt: intake a request's 10 or 15 days (§7.305(a), §7.303(d), §7.308(c)(3)),
    casework the 30 days to petition a penalty served (§7.309(c)(1)(i)).""",
)

provider_facts_changed = _signals.signal(
    "provider-facts-changed",
    doc="""Something a provider's risk score reads changed: a filing received, a finding, a hit
    decided, an oversight case or a penalty moved, a weight (§7.305(d)). Payload:
    ``provider_ids`` (a collection of provider ids, or None for every provider). Casework
    marks their kept scores for a refresh before the transaction commits.""",
)
transaction_committing = _signals.signal(
    "transaction-committing",
    doc="""The request's or command's one transaction is about to commit (core.transactions).
    No payload. A receiver writes what must commit with the rest, e.g. the kept risk scores of
    the providers whose facts changed; what it raises fails the request like the commit would.""",
)

# --- Questions the kernel or one module asks the others ---------------------------------------

waivers_asked = _signals.signal(
    "waivers-asked",
    doc="""What waives intake's expectations of providers. Payload: ``provider_ids`` (a
    collection of provider ids, or None for every provider). Each receiver answers a dict of
    provider id -> list of core.hooks.Waiver in force (an exemption, §7.306(e)).""",
)
risk_signals_asked = _signals.signal(
    "risk-signals-asked",
    doc="""What bears on providers' risk (§7.305(d)). Payload: ``today`` (the office's date)
    and ``provider_ids`` (a collection of provider ids, or None for the whole registry). Each
    receiver answers a dict of provider id -> list of core.risk.RiskSignal, for those providers
    only.""",
)
panels_asked = _signals.signal(
    "panels-asked",
    doc="""Sections other modules add to a record's page. Payload: ``subject_type`` ("provider",
    "filing") and ``subject_id`` (str: the provider's id, the filing's receipt number). Each
    receiver answers safe HTML (markupsafe.Markup) or None.""",
)
subject_link_asked = _signals.signal(
    "subject-link-asked",
    doc="""The page of the thing a kernel record is about (a deadline's case, a review's
    finding). Payload: ``subject_type`` and ``subject_id`` (str). The module owning that kind of
    subject answers its URL; the others answer None.""",
)
case_owners_asked = _signals.signal(
    "case-owners-asked",
    doc="""Who owns a provider's open cases, to be told of what concerns them (a filing
    received, a screening hit). Payload: ``provider_id`` (int). Each case module answers a list
    of core.auth.models.User, the owners of its open cases on that provider (each case's
    ``owner``, core.ownership; a case nobody owns yet adds nobody), or None.""",
)
position_lock_asked = _signals.signal(
    "position-lock-asked",
    doc="""Whether the positions on a consultation may still change. Payload: ``subject_type``
    and ``subject_id`` (str) of the case consulted on. The module owning the case answers why
    they no longer may (the decision was made), or None while they may.""",
)

search_asked = _signals.signal(
    "search-asked",
    doc="""What a person typed in the search box (core.search). Payload: ``query``
    (core.search.rules.Query, checked) and ``limit`` (int: the most records of one kind to
    answer). Each module answers a list of core.search.rules.Group, one per kind of its records
    the query finds (receipts, case references, names, contact emails), or None.""",
)


# The order receivers were first connected in: blinker keeps them in a set, and a page's panels
# must come in the same order every time.
_connected_order: dict[Callable[..., Any], int] = {}


def _replies(signal: Signal, payload: dict[str, Any]) -> list[Any]:
    app = current_app._get_current_object()
    receivers = sorted(
        signal.receivers_for(app),
        key=lambda receiver: _connected_order.get(receiver, len(_connected_order)),
    )
    return [receiver(app, **payload) for receiver in receivers]


def send(signal: Signal, **payload: Any) -> None:
    """Announce that something happened, from the current application."""
    _replies(signal, payload)


def answers(signal: Signal, **payload: Any) -> list[Any]:
    """Ask the current application's receivers of ``signal``: their answers that are not None,
    in the order the modules connected them."""
    return [value for value in _replies(signal, payload) if value is not None]


def connect(
    app: Flask, signal: Signal, receiver: Callable[..., Any], *, subject_type: str | None = None
) -> None:
    """Call ``receiver`` with the payload whenever ``app`` sends ``signal``; with
    ``subject_type``, only for that type of subject, and with the subject's id alone."""
    adapter = _receiver(receiver, subject_type)
    _connected_order.setdefault(adapter, len(_connected_order))
    signal.connect(adapter, sender=app, weak=False)


@functools.cache
def _receiver(receiver: Callable[..., Any], subject_type: str | None) -> Callable[..., Any]:
    # One adapter per receiver, whatever the number of applications: connecting it again for
    # another application adds that sender, not another receiver.
    if subject_type is None:

        def payload_only(_app: Flask, **payload: Any) -> Any:
            return receiver(**payload)

        return payload_only

    wanted = subject_type

    def for_subject(_app: Flask, *, subject_type: str, subject_id: str) -> Any:
        return receiver(subject_id) if subject_type == wanted else None

    return for_subject
