"""The search box's one field."""

from __future__ import annotations

from wtforms import SearchField

from core.input_hygiene import Form


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(
        "Search for",
        description="A receipt number, a case reference (AS-, PN-, SM-), a provider's or "
        "foreign reseller's name, or a contact's email.",
    )
