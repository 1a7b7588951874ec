"""The decision letter to the provider (§7.306(e)(3)), CUI-marked: what was exempted, from which
requirements, and every condition an agency attached."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.platypus import Flowable, Spacer

from core import pdf
from core.consultations.models import Consultation
from core.consultations.rules import Position
from core.office.rules import DocumentSettings
from core.schema import country_name
from exemptions import rules
from exemptions.models import ExemptionCase
from intake.kinds import ExemptionScope


def _exempted(case: ExemptionCase) -> tuple[str, str, str]:
    """Who is found to comply, what is exempted, and from which requirements (§7.306(a), (e))."""
    data = case.filing.data
    provider = case.provider.legal_name
    if case.scope == ExemptionScope.FOREIGN_RESELLER:
        jurisdiction = data.get("reseller_jurisdiction") or ""
        reseller = f"{data.get('reseller_name')} ({country_name(jurisdiction) or jurisdiction})"
        return (
            f"the foreign reseller {reseller}",
            f"{provider} with regard to its foreign reseller {reseller}",
            "§§7.303 and 7.304",
        )  # rules.EFFECTS
    if case.scope == ExemptionScope.ACCOUNT_TYPE:
        accounts = f"the accounts or lessees of the type “{data.get('account_type')}”"
        return (
            accounts,
            f"{accounts} of {provider}",
            "this subpart, except §§7.308 and 7.309",
        )
    # §7.306(e)'s list, not (b)'s (rules.PROVIDER_CONFLICT).
    return (f"{provider}", provider, rules.effect_of(case.scope).lifts)


def _conditions(consultations: Sequence[Consultation]) -> list[str]:
    return [
        f"{c.comments.strip()} ({c.agency})"
        for c in consultations
        if c.position == Position.CONCUR_WITH_CONDITIONS and (c.comments or "").strip()
    ]


def _outcome(case: ExemptionCase, conditions: list[str]) -> list[str]:
    complies, exempted, requirements = _exempted(case)
    if case.decision == rules.Decision.GRANT:
        due = pdf.formal_date(rules.annual_notification_due(case.decided_on))
        subject = "the exemption" + (" on the conditions below" if conditions else "")
        return [
            f"The Department finds that {complies} complies with security best practices to "
            f"otherwise deter the abuse of U.S. IaaS products, and exempts {exempted} from the "
            f"requirements of {requirements} (15 CFR 7.306).",
            f"The Department grants {subject}. It continues while it remains warranted: notify "
            "the Department of any material change to the program or to the business that may "
            "affect it (§7.309(b)(2)), and send an annual notification of updates to the "
            f"program, the first by {due} (§7.306(f)). The exemption may be revoked at any time "
            "(§7.306(g)).",
        ]
    return [
        f"The Department does not find, on the factors below, that {complies} complies with "
        "security best practices to otherwise deter the abuse of U.S. IaaS products. The "
        f"exemption is denied (§7.306(e)(3)), and the requirements of {requirements} continue "
        "to apply.",
    ]


def _consulted(consultations: Sequence[Consultation]) -> str:
    if not consultations:
        return "No agency was consulted on this request."
    return (
        "Before making this finding the Department consulted "
        + "; ".join(f"{c.agency} ({c.position or 'no position recorded'})" for c in consultations)
        + " (§7.306(e)(2))."
    )


def decision_letter_pdf(
    case: ExemptionCase,
    *,
    consultations: Sequence[Consultation],
    office: DocumentSettings,
    generated_at: datetime,
) -> bytes:
    provider = case.provider
    outcome = "granted" if case.decision == rules.Decision.GRANT else "denied"
    conditions = _conditions(consultations) if case.decision == rules.Decision.GRANT else []
    received = pdf.formal_date(case.filing.received_on)
    story: list[Flowable] = [
        *pdf.letter_opening(
            dated=case.decided_on,
            address=provider.letter_address,
            regarding=f"Request for an exemption, receipt {case.filing.receipt_number}, received "
            f"{received}: {outcome}",
            salutation=f"Dear {provider.contact_name}:",
        ),
        pdf.paragraph(
            f"The Department has reviewed the request of {provider.legal_name}, received on "
            f"{received}, for a finding under 15 CFR 7.306 and the agencies' views on it.",
            "letter",
        ),
        *(pdf.paragraph(text, "letter") for text in _outcome(case, conditions)),
    ]
    if conditions:
        story.append(
            pdf.paragraph("Conditions attached by the agencies consulted (§7.306(e)(2))", "heading")
        )
        story += [
            pdf.paragraph(f"{number}. {text}", "letter")
            for number, text in enumerate(conditions, start=1)
        ]
    story += [
        pdf.paragraph("Factors evaluated (§7.306(e)(3))", "heading"),
        pdf.table(
            [
                (citation, label, case.finding[key]["assessment"], case.finding[key]["reasons"])
                for key, citation, label in rules.FACTORS
            ],
            header=("Paragraph", "Factor", "Assessment", "Reasons"),
        ),
        Spacer(1, 6),
        pdf.paragraph(_consulted(consultations), "letter"),
        pdf.signature(
            "Please address any questions about this decision to the Office of Information and "
            "Communications Technology and Services, citing the receipt number above.",
            office.provider_signer,
        ),
    ]
    return pdf.build_pdf(
        title=f"Exemption {outcome}: {provider.legal_name}, {case.filing.receipt_number}",
        story=story,
        marking=pdf.BUSINESS.with_poc(office.cui_poc),
        generated_at=generated_at,
        draft=None if office.provider_signer else pdf.UNSIGNED,
        letter=True,
    )
