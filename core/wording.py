"""Labels set in running text. A phrase changes the case of its first letter only, so that the
acronyms in it (CIP, IaaS, AI, IP) keep their capitals."""

from __future__ import annotations


def in_sentence(phrase: str) -> str:
    """A label as it reads inside a sentence: "Annual CIP certification" → "annual CIP
    certification". A phrase that opens with an acronym ("CIP certification form", "IaaS
    products") is left as it is."""
    first_word = phrase.split(" ", 1)[0]
    if any(letter.isupper() for letter in first_word[1:]):
        return phrase
    return phrase[:1].lower() + phrase[1:]


def sentence_case(phrase: str) -> str:
    """A phrase opening a sentence or a label: "failure to maintain a CIP" → "Failure to
    maintain a CIP" (``str.capitalize`` would lower the rest to "cip")."""
    return phrase[:1].upper() + phrase[1:]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 provider", "1,204 providers": a count with its noun, for outcomes and messages."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
