"""The paragraphs a finding or a review of a certification may cite: every requirement of a CIP
in §7.302(b)-(f), itemised to the sub-paragraph where the rule lists items, and the contents
of the certification forms in §7.304. Pure: a catalogue, read by intake's reviews and by
casework's assessment findings alike.

Each entry is a stable code (kept on the records that cite it), the citation and the
requirement in brief. A paragraph that lists items keeps an entry of its own for a shortcoming
of the paragraph as a whole (no verification procedures at all, say), and its items follow it.
"""

from __future__ import annotations

from types import MappingProxyType

Catalogue = MappingProxyType

_CIP_REQUIREMENTS: dict[str, tuple[str, str]] = {
    "b": ("§7.302(b)", "Scope: appropriate to the provider's size, products and risks"),
    "c": ("§7.302(c)", "Foreign resellers keep and implement a written CIP"),
    "d": ("§7.302(d)", "Risk-based procedures to form a reasonable belief of each foreign "
          "customer's true identity"),
    "d1": ("§7.302(d)(1)", "Customer information required before opening an Account"),
    "d1i": ("§7.302(d)(1)(i)", "Determining whether the customer and all beneficial owners are "
            "U.S. persons, with due diligence on a claim to be one"),
    "d1ii": ("§7.302(d)(1)(ii)", "Identifying information to be obtained at account opening, "
             "a sound basis to verify identity"),
    "d1iii": ("§7.302(d)(1)(iii)", "The minimum information from a foreign customer or "
              "beneficial owner before opening an Account"),
    "d1iiiA": ("§7.302(d)(1)(iii)(A)", "Name: full legal name, or business name with every "
               "name it does business under"),
    "d1iiiB": ("§7.302(d)(1)(iii)(B)", "Address, locations of use, jurisdiction of "
               "organisation and beneficial owners' names"),
    "d1iiiC": ("§7.302(d)(1)(iii)(C)", "Means and source of payment for the Account"),
    "d1iiiD": ("§7.302(d)(1)(iii)(D)", "Email address"),
    "d1iiiE": ("§7.302(d)(1)(iii)(E)", "Telephonic contact information"),
    "d1iiiF": ("§7.302(d)(1)(iii)(F)", "IP addresses used for access or administration, with "
               "the date and time of each"),
    "d2": ("§7.302(d)(2)", "Verification of the identity of customers and beneficial owners"),
    "d2i": ("§7.302(d)(2)(i)", "Documentary verification: the documents used and how their "
            "validity is ascertained"),
    "d2ii": ("§7.302(d)(2)(ii)", "Non-documentary verification: the methods used"),
    "d2iii": ("§7.302(d)(2)(iii)", "Additional verification of an entity's individuals and "
              "beneficial owners, signatories included"),
    "d2iv": ("§7.302(d)(2)(iv)", "U.S. person accounts verified through (d)(2)(i)-(iii)"),
    "d3": ("§7.302(d)(3)", "Responding when identity cannot be verified"),
    "d3i": ("§7.302(d)(3)(i)", "When not to open an Account"),
    "d3ii": ("§7.302(d)(3)(ii)", "Terms of use while verification is attempted"),
    "d3iii": ("§7.302(d)(3)(iii)", "When to close an Account or subject it to other measures "
              "after verification fails"),
    "d3iv": ("§7.302(d)(3)(iv)", "Other account management or redress for unverified or "
             "compromised customers"),
    "e": ("§7.302(e)", "Procedures for making and maintaining a record of the information "
          "obtained under paragraph (d)"),
    "e1": ("§7.302(e)(1)", "Required records of identifying information and verification"),
    "e1i": ("§7.302(e)(1)(i)", "Records: all identifying information obtained under (d)"),
    "e1ii": ("§7.302(e)(1)(ii)", "Records: a copy or description of each document relied on "
             "under (d)(2)(i)"),
    "e1iii": ("§7.302(e)(1)(iii)", "Records: the methods and results of verification under "
              "(d)(2)(ii) or (iii)"),
    "e1iv": ("§7.302(e)(1)(iv)", "Records: the resolution of each substantive discrepancy"),
    "e2": ("§7.302(e)(2)", "Retention of records"),
    "e3": ("§7.302(e)(3)", "Limits on third-party access to records: need-to-know, encryption "
           "or other protection"),
    "f1": ("§7.302(f)(1)", "Customers notify when they add beneficial owners"),
    "f2": ("§7.302(f)(2)", "Periodic continued verification of customer information"),
}  # fmt: skip
CIP_REQUIREMENTS = Catalogue(_CIP_REQUIREMENTS)

# What a CIP certification form contains (§7.304(a)), and the annual attestations (§7.304(b)).
_FORM_CONTENTS: dict[str, tuple[str, str]] = {
    "304a1i": ("§7.304(a)(1)(i)", "Description of how the identity of foreign persons is "
               "verified"),
    "304a1ii": ("§7.304(a)(1)(ii)", "Procedures for ownership changes and ongoing verification"),
    "304a1iii": ("§7.304(a)(1)(iii)", "Tools to detect malicious cyber activity"),
    "304a1iv": ("§7.304(a)(1)(iv)", "Procedures requiring each foreign reseller to keep a CIP"),
    "304a1v": ("§7.304(a)(1)(v)", "Procedures to identify large AI model training by a foreign "
               "person"),
    "304a1vi": ("§7.304(a)(1)(vi)", "The Primary Contact's name, title, email and phone"),
    "304a2i": ("§7.304(a)(2)(i)", "Service offerings and customer bases in foreign "
               "jurisdictions"),
    "304a2ii": ("§7.304(a)(2)(ii)", "Number of employees in IaaS provision"),
    "304a2iii": ("§7.304(a)(2)(iii)", "Tools to detect malicious cyber-enabled activity, and how "
                 "they are used"),
    "304a2iv": ("§7.304(a)(2)(iv)", "Tools to detect a training run of a large AI model"),
    "304a2v": ("§7.304(a)(2)(v)", "Process to report malicious cyber activity to authorities"),
    "304a2vi": ("§7.304(a)(2)(vi)", "Number of IaaS customers"),
    "304a2vii": ("§7.304(a)(2)(vii)", "Number and locations of foreign beneficial owners"),
    "304a2viii": ("§7.304(a)(2)(viii)", "List of all foreign resellers"),
    "304a2ix": ("§7.304(a)(2)(ix)", "Unverified foreign customer accounts, with details (A)-(E)"),
    "304a3": ("§7.304(a)(3)", "Attestation that the written CIP meets §7.302"),
}  # fmt: skip
_ANNUAL: dict[str, tuple[str, str]] = {
    "304b": ("§7.304(b)", "Annual certification: updates to the information of paragraph (a)"),
    "304b1": ("§7.304(b)(1)", "Attestation: CIP reviewed since the last certification"),
    "304b2": ("§7.304(b)(2)", "Attestation: CIP updated for changes in service offerings"),
    "304b3": ("§7.304(b)(3)", "Attestation: CIP updated for changes in the threat landscape"),
    "304b4": ("§7.304(b)(4)", "Attestation: CIP complies with subpart D"),
    "304b5": ("§7.304(b)(5)", "Tracking of each failure to verify a customer's identity"),
    "304b6": ("§7.304(b)(6)", "Record of the resolution of each such failure"),
}  # fmt: skip
_NEW_PROVIDER: dict[str, tuple[str, str]] = {
    "304d": ("§7.304(d)", "A new provider certifies before furnishing any foreign customer an "
             "Account"),
}  # fmt: skip
_RESELLERS: dict[str, tuple[str, str]] = {
    "304d": ("§7.304(d)", "Notice before providing IaaS products to a new foreign reseller"),
    "304e": ("§7.304(e)", "Information collected from foreign resellers for the certifications"),
    "304f": ("§7.304(f)", "Compiled certification of all foreign resellers' CIPs"),
    "303b": ("§7.303(b)", "Each foreign reseller's CIP meets §7.302(d)-(f)"),
}  # fmt: skip

# The kinds of filing whose outcome the Department reviews (§7.305(b)): the provider's CIP
# certifications and the compiled foreign-reseller certification, each with what it must hold.
_BY_KIND: dict[str, dict[str, tuple[str, str]]] = {
    "cip_certification": {**_FORM_CONTENTS, **_CIP_REQUIREMENTS},
    "annual_certification": {**_FORM_CONTENTS, **_ANNUAL, **_CIP_REQUIREMENTS},
    "new_provider_certification": {**_FORM_CONTENTS, **_NEW_PROVIDER, **_CIP_REQUIREMENTS},
    # A foreign reseller's CIP answers to §7.302(c)-(f) (§7.303(b), (e)).
    "reseller_certification": {
        **_RESELLERS,
        **{code: entry for code, entry in _FORM_CONTENTS.items() if code != "304a2viii"},
        **{code: entry for code, entry in _CIP_REQUIREMENTS.items() if code != "b"},
    },
}
REVIEWED_KINDS = frozenset(_BY_KIND)


def citable(kind: str) -> Catalogue[str, tuple[str, str]]:
    """The paragraphs a review of a filing of ``kind`` may cite, in the rule's order (the form's
    contents first, then the CIP's requirements); none for a kind that is not reviewed."""
    return Catalogue(_BY_KIND.get(kind, {}))
