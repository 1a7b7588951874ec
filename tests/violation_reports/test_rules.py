"""What a report of a suspected violation needs, and its triage (§7.310), as tables worked out
from the rule: "facts or circumstances that indicate a violation ... may have occurred, or are
likely to occur", from any person, by any means, with nothing else required of them."""

import pytest

from core.auth.rules import Role
from core.errors import IllegalTransition
from core.workflow.rules import available_actions, check_transition, open_states
from violation_reports import rules
from violation_reports.rules import Attachment, Outcome, ReportState

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("", "Describe the facts"),
        ("   \n\t ", "Describe the facts"),
        ("They cheat.", "at least 20 characters"),
        # Runs of spacing count as one space (19 characters once squeezed).
        ("a" * 9 + "          " + "b" * 9, "at least 20 characters"),
        ("a" * 9 + "          " + "b" * 10, None),
        ("Accounts are opened for foreigners unchecked.", None),
        ("x" * 10_000, None),
        ("x" * 10_001, "Keep the description to 10,000 characters"),
    ],
)
def test_a_report_states_facts_or_circumstances(text, refused):
    problems = rules.description_problems(text)
    if refused is None:
        assert problems == []
    else:
        [problem] = problems
        assert refused in problem


@pytest.mark.parametrize(
    ("files", "refused"),
    [
        ([], []),
        ([Attachment("memo.pdf", 1_000, True)], []),
        ([Attachment("memo.pdf", 10 * MB, True)], []),
        ([Attachment("big.pdf", 10 * MB + 1, True)], ["big.pdf is larger than 10 MB"]),
        # The size the office's own uploads allow (core.documents) is too much from the public.
        ([Attachment("scan.pdf", 20 * MB, True)], ["scan.pdf is larger than 10 MB"]),
        ([Attachment("empty.pdf", 0, True)], ["empty.pdf is empty"]),
        ([Attachment("photo.jpg", 5_000, False)], ["photo.jpg is not a PDF or a Word"]),
        (
            [Attachment("a.pdf", 10, True), Attachment("b.exe", 10, False)],
            ["b.exe is not a PDF or a Word"],
        ),
        ([Attachment(f"{n}.pdf", 10, True) for n in range(3)], []),
        ([Attachment(f"{n}.pdf", 10, True) for n in range(4)], ["Attach at most 3 files"]),
    ],
)
def test_attachments_are_few_small_documents(files, refused):
    problems = rules.attachment_problems(files)
    assert len(problems) == len(refused)
    for problem, expected in zip(problems, refused, strict=True):
        assert expected in problem


@pytest.mark.parametrize(
    ("outcome", "reasons", "has_case", "fields"),
    [
        (Outcome.CASE, "Opened an assessment.", True, set()),
        (Outcome.CASE, "Opened an assessment.", False, {"outcome"}),
        (Outcome.NO_VIOLATION, "The provider is exempt.", False, set()),
        (Outcome.NOT_SUBPART_D, "An EAR matter (§7.310(b)).", False, set()),
        (Outcome.DUPLICATE, "", True, {"reasons"}),
        (None, "Because.", False, {"outcome"}),
        (None, "  ", False, {"outcome", "reasons"}),
    ],
)
def test_a_report_closes_with_an_outcome_and_its_reasons(outcome, reasons, has_case, fields):
    assert set(rules.close_problems(outcome, reasons, has_case=has_case)) == fields


@pytest.mark.parametrize(
    ("name", "email", "phone", "anonymous"),
    [
        ("", "", "", True),
        ("  ", " ", "", True),
        ("Ada", "", "", False),
        ("", "ada@example.org", "", False),
        ("", "", "+1 202 555 0100", False),
    ],
)
def test_a_report_without_any_contact_is_anonymous(name, email, phone, anonymous):
    assert rules.is_anonymous(name, email, phone) is anonymous


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (ReportState.RECEIVED, ReportState.IN_TRIAGE, True),
        (ReportState.RECEIVED, ReportState.CLOSED, True),
        (ReportState.IN_TRIAGE, ReportState.CLOSED, True),
        (ReportState.IN_TRIAGE, ReportState.RECEIVED, False),
        (ReportState.CLOSED, ReportState.IN_TRIAGE, False),
        (ReportState.CLOSED, ReportState.RECEIVED, False),
    ],
)
def test_triage_moves_forward_only(current, wanted, allowed):
    if allowed:
        check_transition(rules.ALLOWED, current, wanted)
    else:
        with pytest.raises(IllegalTransition):
            check_transition(rules.ALLOWED, current, wanted)


def test_a_report_is_open_until_closed():
    assert open_states(rules.ALLOWED) == {ReportState.RECEIVED, ReportState.IN_TRIAGE}


@pytest.mark.parametrize(
    ("state", "role", "offered"),
    [
        (ReportState.RECEIVED, Role.ANALYST, {"start_triage", "close", "read_contact"}),
        (ReportState.IN_TRIAGE, Role.ANALYST, {"link", "close", "read_contact"}),
        (ReportState.CLOSED, Role.ANALYST, {"read_contact"}),
        (ReportState.RECEIVED, Role.REVIEWER, {"read_contact"}),
        (ReportState.IN_TRIAGE, Role.VIEWER, set()),
        (ReportState.IN_TRIAGE, Role.ADMIN, set()),
        (ReportState.IN_TRIAGE, Role.LIAISON, set()),
    ],
)
def test_who_may_do_what_on_a_report(state, role, offered):
    assert available_actions(rules.ACTIONS, state, role) == offered
