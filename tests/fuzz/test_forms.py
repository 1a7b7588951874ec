"""Junk into every form the application renders, as each role sees it: control characters,
100,000-character strings, 400-digit numbers, 1e309, impossible dates, right-to-left and
combining characters. The answer may refuse, never fail: no 5xx.

The forms are found the way a person finds them: every page (an address of each route, with a
record of each kind) is read as each role and every ``<form>`` on it is taken apart into its
fields, so a form added later is fuzzed without a line here.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core import clocks
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from intake import kinds
from tests.factories import (
    file_exemption_request,
    file_report,
    grant_exemption,
    log_in,
    log_in_admin,
    make_admin,
    make_filing,
    make_measure,
    make_provider,
    make_user,
    make_violation_report,
    one_of_each,
    prepare_finding,
)

# Spread evenly over the forms found: about a minute on PostgreSQL on a busy machine.
SUBMISSIONS = 1_100
RECORD_NUMBER = re.compile(r"(?<=/)(?:\d+|OICTS-\d{4}-\d{6})(?=/|$)")
DOWNLOADS = (".pdf", ".csv", ".ics", ".xlsx", ".json", ".docx")
EARLY_STAGES = ("consultation", "in review")
# The pages of a measure before it is issued (consulting, in review), beside the issued one's.
MEASURE_PAGES = tuple(
    f"/special-measures/cases/<int:case_id>{page}" for page in ("", "/evaluation", "/determination")
)
# Inputs whose value is one the page chooses, even when empty.
CHOSEN_INPUTS = ("hidden", "checkbox", "radio", "submit")
# Signing out would end the crawl's session, not test a form.
LEFT_OUT_ACTIONS = ("/logout",)


@dataclass
class FormSeen:
    """A ``<form>`` as the page gives it: where it goes, and each input's name with the values
    the page offers for it (its options, its checkbox value, a button's value)."""

    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type
    offered: dict[str, list[str]] = field(default_factory=dict)

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """What the form is, whatever record it is about: /notices/1/sent is /notices/2/sent."""
        return self.method, RECORD_NUMBER.sub("#", self.action), tuple(sorted(self.fields))


class _FormReader(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[FormSeen] = []
        self.current: FormSeen | None = None
        self.select: str | None = None

    def _offer(self, name: str, kind: str, value: str | None) -> None:
        assert self.current is not None
        self.current.fields.setdefault(name, kind)
        if value is not None:
            self.current.offered.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            action = urlsplit(attributes.get("action") or "").path or self.page_url
            self.current = FormSeen((attributes.get("method") or "get").upper(), action)
            return
        if self.current is None:
            return
        if tag == "option" and self.select:
            self._offer(self.select, "select", attributes.get("value") or "")
            return
        name = attributes.get("name")
        if not name:
            return
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            value = attributes.get("value")
            # An empty box offers nothing; a filled one (an edit form) offers what it holds.
            self._offer(name, kind, value if value or kind in CHOSEN_INPUTS else None)
        elif tag in ("textarea", "button"):
            self._offer(name, tag, attributes.get("value"))
        elif tag == "select":
            self.select = name
            self._offer(name, "select", None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(page_url: str, html: str) -> list[FormSeen]:
    reader = _FormReader(page_url)
    reader.feed(html)
    return reader.forms


# --- The junk ---------------------------------------------------------------------------------

NASTY = [
    "\x00",
    "a\x00b",
    "\x1b[2J\x07",
    "\x7f\x85\x9f",
    "line\r\nbreak\ttab",
    "\u202eevil\u202c \u200f\u05e9\u05dc\u05d5\u05dd",  # right-to-left override, Hebrew
    "e" + "\u0301" * 60,  # one letter with sixty combining accents
    "\ufeff\u200b\u2028\u2029",
    "1e309",
    "-1e309",
    "99e999",
    "nan",
    "inf",
    "9" * 400,
    "-" + "9" * 400,
    "2147483648",
    "9223372036854775808",
    "0x10",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "10000-01-01",
    "2026-02-29T25:61:61Z",
    "",
    " ",
    "x" * 100_000,
    "\x00" * 1_000 + "x" * 99_000,
]

# Any character a browser can send (a lone surrogate cannot be written in UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
NUMBERS = st.integers(min_value=-(10**400), max_value=10**400).map(str)
DATES = st.dates(min_value=date(1, 1, 1)).map(date.isoformat)


# Text with a control character somewhere in it: the commonest way in for U+0000.
CONTROL = st.one_of(st.just("\x00"), st.characters(categories=["Cc"]))
CONTROLLED_TEXT = st.tuples(ANY_TEXT, CONTROL, ANY_TEXT).map("".join)
# Hypothesis tries the first of each choice first: a control character, the offered value.
JUNK = st.one_of(CONTROLLED_TEXT, st.sampled_from(NASTY), ANY_TEXT, NUMBERS, DATES)


def _mostly(usual: st.SearchStrategy, other: st.SearchStrategy) -> st.SearchStrategy:
    """``usual`` three times in four: so that the rest of a form passes its checks often
    enough for the junk in one field to go on to the services and the database."""
    return st.integers(0, 3).flatmap(lambda draw: other if draw == 3 else usual)


def _value(offered: list[str]) -> st.SearchStrategy[str]:
    if not offered:
        return JUNK
    # A real choice before the empty "- Select -" one.
    return _mostly(st.sampled_from(sorted(offered, key=lambda value: value == "")), JUNK)


def _submission(form: FormSeen) -> st.SearchStrategy[dict[str, object]]:
    """Each of the form's fields, left out now and then, with junk or a value the page offers
    (an option, a checkbox's value, a hidden field's value)."""
    entries = {}
    for name, kind in form.fields.items():
        offered = [value for value in form.offered.get(name, []) if value is not None]
        if kind == "file":
            content = st.one_of(st.binary(max_size=2_000), st.sampled_from(NASTY).map(str.encode))
            filename = st.one_of(st.sampled_from(["a.pdf", "a\x00.csv", "\u202efdp.exe"]), ANY_TEXT)
            value = st.tuples(content, filename)
        elif kind in ("checkbox", "select") and len(offered) > 1:
            value = st.one_of(_value(offered), st.lists(_value(offered), max_size=4))
        else:
            value = _value(offered)
        entries[name] = _mostly(value, st.none())
    return st.fixed_dictionaries(entries).map(
        lambda chosen: {name: value for name, value in chosen.items() if value is not None}
    )


def _send(client: FlaskClient, form: FormSeen, values: dict[str, object]):
    files = {
        name: (io.BytesIO(value[0]), value[1])
        for name, value in values.items()
        if isinstance(value, tuple)
    }
    plain = {name: value for name, value in values.items() if not isinstance(value, tuple)}
    if form.method == "GET":
        return client.get(form.action, query_string=plain)
    if files:
        return client.post(form.action, data={**plain, **files}, content_type="multipart/form-data")
    return client.post(form.action, data=plain)


# --- Finding the forms ---------------------------------------------------------------------------


def _records() -> dict[str, list[object]]:
    """Records of each kind at the stages whose pages carry forms, by address argument."""
    from core.consultations.models import Consultation
    from exemptions import services as exemptions
    from intake import services as intake
    from intake.correspondence import requests as sent_requests

    values: dict[str, list[object]] = {
        name: [value] for name, value in one_of_each().items() if name != "kind"
    }
    provider = make_provider()
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    started, drafted, submitted, granted = (file_exemption_request(provider) for _ in range(4))
    exemptions.start_review(started, actor=analyst)
    prepare_finding(drafted, analyst=analyst, silent=("DHS",))
    prepare_finding(submitted, analyst=analyst)
    exemptions.submit_finding(submitted, actor=analyst)
    # Asked before the grant, which lifts the copy on request (§7.305(a), §7.306(e)).
    request = intake.request_cip_copy(
        provider, reseller=None, requested_on=clocks.office_today(), actor=analyst
    )
    grant_exemption(granted, analyst=analyst, reviewer=reviewer)
    db.session.commit()
    open_consultations = db.session.execute(
        select(Consultation.id).where(Consultation.agency == "DHS")
    ).scalars()
    values["case_id"] += [case.id for case in (started, drafted, submitted, granted)]
    values["measure_id"] = [make_measure().id]
    values["early_measure_id"] = [make_measure(stop_at=stage).id for stage in EARLY_STAGES]
    values["receipt_number"] = [
        make_filing(provider).receipt_number,
        file_report(provider).receipt_number,
    ]
    values["kind"] = [kind.value for kind in kinds.FilingKind]
    values["consultation_id"] = list(open_consultations)
    values["request_id"] = [request.id]
    values["correspondence_id"] = [sent_requests.sent_of(request).id]
    values["report_id"] = _violation_reports(provider, analyst)
    values["change_notice_id"] = [_owed_change_notice(values["provider_id"][0], analyst).id]
    return values


def _violation_reports(provider, analyst) -> list[int]:
    """A report waiting in the queue, and one in triage with its provider linked, whose page
    offers the links to a reseller and a case (§7.310)."""
    from violation_reports import services as violation_reports

    waiting, triaged = make_violation_report(), make_violation_report()
    violation_reports.start_triage(triaged, actor=analyst)
    violation_reports.link_provider(triaged, provider.id, actor=analyst)
    db.session.commit()
    return [waiting.id, triaged.id]


def _owed_change_notice(provider_id: object, analyst: User):
    """A change the Department learned of whose notice is still owed (§7.309(b))."""
    from intake.change_notices import services as change_notices
    from intake.models import Provider

    today = clocks.office_today()
    notice = change_notices.record_change_notice(
        db.session.get(Provider, provider_id), obligation="cip unnecessary", changed_on=today,
        notice_received_on=None, learned_on=today, learned_from="Press",
        summary="Sold its IaaS line.", actor=analyst, today=today,
    )  # fmt: skip
    db.session.commit()
    return notice


def _page_urls(app: Flask, values: dict[str, list[object]]) -> list[str]:
    """An address of each page, once for each record of the kind it shows."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        # A case of the special-measures pages is a measure; elsewhere, an exemption request.
        choices = dict(values)
        if rule.rule.startswith("/special-measures/"):
            early = values["early_measure_id"] if rule.rule in MEASURE_PAGES else []
            choices["case_id"] = values["measure_id"] + early
        if not rule.arguments <= choices.keys():
            continue
        names = sorted(rule.arguments)
        for chosen in itertools.product(*(choices[name] for name in names)):
            url = rule.build(dict(zip(names, chosen, strict=True)))[1]
            if not url.endswith(DOWNLOADS):
                urls.add(url)
    return sorted(urls)


def _signed_in(app: Flask, role: Role | None) -> FlaskClient:
    client = app.test_client()
    if role is Role.ADMIN:
        log_in_admin(client, make_admin())
    elif role is not None:
        log_in(client, make_user(role, agency="DHS" if role is Role.LIAISON else None))
    return client


ROLES = [None, Role.ANALYST, Role.REVIEWER, Role.ADMIN, Role.LIAISON, Role.VIEWER]


def test_no_form_answers_junk_with_a_server_error(app: Flask) -> None:
    values = _records()
    urls = _page_urls(app, values)
    clients = {role: _signed_in(app, role) for role in ROLES}
    found: dict[tuple, tuple[Role | None, FormSeen]] = {}
    for role, client in clients.items():
        for url in urls:
            page = client.get(url)
            assert page.status_code < 500, (role, url)
            if page.status_code == 200 and page.mimetype == "text/html":
                for form in forms_on(url, page.text):
                    if form.fields and not form.action.startswith(LEFT_OUT_ACTIONS):
                        found.setdefault((form.method, form.action, form.key()), (role, form))

    failures: list[tuple[str, str, int, list[str]]] = []
    submissions = 0
    each = math.ceil(SUBMISSIONS / len(found))
    for role, form in found.values():
        if role is not None and clients[role].get("/").status_code != 200:
            clients[role] = _signed_in(app, role)  # a form signed it out (a deactivation)
        submissions += _fuzz(clients[role], form, each, failures)
    kinds = len({key for _, _, key in found})
    print(f"{submissions} submissions to {len(found)} forms ({kinds} kinds) on {len(urls)} pages")
    assert failures == [], "\n".join(map(str, failures))
    assert kinds >= 65
    assert submissions >= 1_000


def _fuzz(client: FlaskClient, form: FormSeen, examples: int, failures: list) -> int:
    """Junk into one form; each 5xx noted (not raised, so that every form is tried and no
    100,000-character example is shrunk). How many submissions were made."""
    sent = 0

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=_submission(form))
    def submit_junk(values: dict[str, object]) -> None:
        nonlocal sent
        sent += 1
        answer = _send(client, form, values)
        if answer.status_code >= 500:
            failures.append((form.method, form.action, answer.status_code, sorted(values)))

    submit_junk()
    return sent
