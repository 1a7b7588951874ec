"""Forms of a special-measure case (shape of input only; the rules judge the content)."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.input_hygiene import Form
from core.schema import COUNTRY_CHOICES
from special_measures.rules import (
    SOURCE_LABELS,
    SUBJECT_LABELS,
    Factor,
    HitDecision,
    MeasureKind,
    ReferralSource,
    SubjectKind,
    jurisdiction_problem,
)


def _date(label: str, what: str, *, required: bool = True) -> DateField:
    message = f"Enter {what}, as YYYY-MM-DD."
    return DateField(label, validators=[DataRequired(message) if required else Optional()])


def _text(label: str, *, required: str | None = None, limit: int = 20_000) -> TextAreaField:
    checks = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(
        label, validators=[*checks, Length(max=limit, message=f"At most {limit:,} characters.")]
    )


def _line(label: str, limit: int, *, required: str | None = None) -> StringField:
    checks = [DataRequired(required)] if required else [Optional()]
    return StringField(
        label, validators=[*checks, Length(max=limit, message=f"At most {limit} characters.")]
    )


def lines_of(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Only foreign jurisdictions are offered (§7.301): neither the United States nor its territories.
FOREIGN_COUNTRIES = [
    SelectChoice(code, f"{name} ({code})")
    for code, name in COUNTRY_CHOICES
    if jurisdiction_problem(code) is None
]


class ReferralForm(Form):
    source = RadioField(
        "Where the referral comes from (§7.307(a)(2))",
        choices=[SelectChoice(source.value, SOURCE_LABELS[source]) for source in ReferralSource],
        validators=[DataRequired("Choose where the referral comes from.")],
    )
    referring_agency = _line("Referring department or agency", 120)
    referring_provider_id = SelectField(
        "Referring provider", choices=[], validate_choice=False, validators=[Optional()]
    )
    received_on = _date("Date the referral was received", "the date the referral was received")
    summary = _text("What the referral says", required="Summarise what was referred and why.")
    subject_kind = RadioField(
        "Subject of the referral",
        choices=[SelectChoice(kind.value, SUBJECT_LABELS[kind]) for kind in SubjectKind],
        validators=[DataRequired("Choose whether the subject is a jurisdiction or a person.")],
    )
    jurisdiction = SelectField(
        "Foreign jurisdiction (ISO 3166)",
        choices=[SelectChoice("", "- Select -"), *FOREIGN_COUNTRIES],
        validators=[Optional()],
        description="For a person: the jurisdiction where it is located or organised, if known.",
    )
    region = _line("Subnational territory or region (optional)", 120)
    person_name = _line("Foreign person's full legal or business name", 300)
    aliases = _text("Other names and aliases, one per line (optional)", limit=5_000)
    identifiers = _text("Identifiers, one per line (optional)", limit=5_000)
    related_receipts = _text(
        "Related filings: receipt numbers, one per line (optional)", limit=2_000
    )


def factor_form(factors: Iterable[Factor], base: type[Form] = Form) -> type[Form]:
    """A form with reasons and evidence for each factor; fields are named after the factor code."""
    fields = {}
    for factor in factors:
        fields[f"reasons_{factor.code}"] = _text(f"{factor.citation}: reasons", limit=20_000)
        fields[f"evidence_{factor.code}"] = _text(
            f"{factor.citation}: evidence, one item per line", limit=5_000
        )
    return type("FactorForm", (base,), fields)


def factor_entries(form: Form, factors: Iterable[Factor]) -> dict[str, tuple[str, str]]:
    return {
        factor.code: (
            form[f"reasons_{factor.code}"].data or "",
            form[f"evidence_{factor.code}"].data or "",
        )
        for factor in factors
    }


class ConsultationRequestForm(Form):
    summary = _text(
        "What the agencies are asked to consider",
        required="Say what the agencies are asked to consider; liaisons see only this.",
    )
    respond_by = _date("Respond by", "the date by which agencies should respond")
    other_agencies = _line("Other agencies to consult (optional, separated by commas)", 300)


class DeterminationBase(Form):
    evaluation_summary = _text(
        "Summary of the evaluation (§7.307(a)(3))", required="Summarise the evaluation."
    )
    measure_kind = RadioField(
        "The measure",
        choices=[
            SelectChoice(MeasureKind.PROHIBITION.value, "Prohibition"),
            SelectChoice(MeasureKind.CONDITIONS.value, "Conditions"),
        ],
        validators=[DataRequired("Choose a prohibition or conditions.")],
    )
    conditions = _text("The conditions imposed (when the measure is conditions)", limit=20_000)
    consistency = _text(
        "How the determination is consistent with E.O. 13984 and the subpart (§7.307(a)(4))",
        required="Explain how the determination is consistent with E.O. 13984 and the subpart.",
    )
    compliance_on = _date(
        "Date from which providers must comply (§7.307(a)(6))", "the compliance date"
    )


class IssueForm(Form):
    issued_on = _date("Date the determination was issued", "the date of issuance")


class AddresseeForm(Form):
    addressee = _line("Addressee", 200, required="Name the committee chair the letter goes to.")


class NoticeSentForm(Form):
    sent_on = _date("Date sent", "the date the letter was sent")
    sent_how = _line(
        "How it was sent", 200, required="Say how the letter was sent (e.g. hand delivery, email)."
    )


class ExtensionForm(Form):
    reasons = _text(
        "Finding that the measure remains necessary (§7.307(a)(5))",
        required="State the finding that the measure remains necessary.",
    )
    new_last_day_on = _date("New last day in effect", "the new last day")


class RevocationForm(Form):
    reasons = _text("Reasons for revocation", required="Give the reasons for revoking the measure.")
    effective_on = _date("Date the revocation takes effect", "the date the revocation takes effect")


class PublicationForm(Form):
    federal_register_citation = _line(
        "Federal Register citation",
        60,
        required="Give the notice's Federal Register citation, e.g. 92 FR 12345.",
    )
    published_on = _date("Date of publication", "the date the notice was published")


class CloseForm(Form):
    reasons = _text(
        "Why no measure will be imposed", required="Say why no measure will be imposed."
    )


class HitDecisionForm(Form):
    decision = SelectField(
        "Decision",
        choices=[SelectChoice("", "- Select -")]
        + [SelectChoice(decision.value, decision.value.capitalize()) for decision in HitDecision],
        validators=[DataRequired("Choose match, not a match, or unsure.")],
    )
    reason = _text("Reason", required="Give the reason for the decision.", limit=5_000)


class ProviderNoticeForm(Form):
    provider = SelectField(
        "Provider to notify",
        choices=[SelectChoice("", "- Select -")],
        validators=[DataRequired("Choose the provider to notify.")],
    )


class HitQueueFilterForm(Form):
    """What the queue of undecided screening hits is narrowed to; the choices are the
    providers and measures that have such hits."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    provider = SelectField("Provider", choices=[], validate_choice=False)
    measure = SelectField("Measure", choices=[], validate_choice=False)
