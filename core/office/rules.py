"""What each office setting is for, and the signers and point of contact the documents print.
Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.pdf import Signer


@dataclass(frozen=True)
class SettingDefinition:
    key: str
    label: str
    hint: str


CONGRESS_SIGNER_NAME = "congress_signer_name"
CONGRESS_SIGNER_TITLE = "congress_signer_title"
PROVIDER_SIGNER_NAME = "provider_signer_name"
PROVIDER_SIGNER_TITLE = "provider_signer_title"
CUI_POC = "cui_poc"

SETTINGS: tuple[SettingDefinition, ...] = (
    SettingDefinition(
        CONGRESS_SIGNER_NAME,
        "Name of the official who signs the letters to the congressional committees",
        "Printed under the signature of each notice of a special measure (§7.307(d)).",
    ),
    SettingDefinition(
        CONGRESS_SIGNER_TITLE,
        "Title of the official who signs the letters to the congressional committees",
        "For example: Under Secretary of Commerce for Industry and Security.",
    ),
    SettingDefinition(
        PROVIDER_SIGNER_NAME,
        "Name of the official who signs letters and notices to providers",
        "Printed under the signature of exemption decisions (§7.306(e)) and notices of proposed "
        "civil penalties (§7.309(c)).",
    ),
    SettingDefinition(
        PROVIDER_SIGNER_TITLE,
        "Title of the official who signs letters and notices to providers",
        "For example: Executive Director, Office of Information and Communications Technology "
        "and Services.",
    ),
    SettingDefinition(
        CUI_POC,
        "Point of contact named on CUI documents",
        "A name with a telephone number or email address, printed in the designation indicator "
        "of every CUI document (32 CFR 2002.20(b)(3)).",
    ),
)
KEYS = tuple(definition.key for definition in SETTINGS)


@dataclass(frozen=True)
class DocumentSettings:
    congress_signer: Signer | None
    provider_signer: Signer | None
    cui_poc: str | None


def _signer(values: Mapping[str, str], name_key: str, title_key: str) -> Signer | None:
    name, title = values.get(name_key, "").strip(), values.get(title_key, "").strip()
    return Signer(name, title) if name and title else None


def document_settings(values: Mapping[str, str]) -> DocumentSettings:
    """A signer only when both name and title are set: a letter never goes out half-signed."""
    return DocumentSettings(
        congress_signer=_signer(values, CONGRESS_SIGNER_NAME, CONGRESS_SIGNER_TITLE),
        provider_signer=_signer(values, PROVIDER_SIGNER_NAME, PROVIDER_SIGNER_TITLE),
        cui_poc=values.get(CUI_POC, "").strip() or None,
    )
