"""A filing payload as the inputs of its web form (core/schema_forms.py names them)."""

from __future__ import annotations

import re
from typing import Any

ROW_INPUT = re.compile(r"^(?P<table>\w+)-(?P<row>\d+)-")


def form_fields(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Input name → text typed: table cells as ``table-row-column``, lists one per line,
    ticked checkboxes as ``y`` (unticked ones are simply absent)."""
    fields: dict[str, str] = {}
    for name, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for row, cells in enumerate(value):
                fields |= form_fields(cells, f"{prefix}{name}-{row}-")
        elif isinstance(value, list):
            fields[prefix + name] = "\n".join(value)
        elif isinstance(value, bool):
            if value:
                fields[prefix + name] = "y"
        elif value is not None:
            fields[prefix + name] = str(value)
    return fields
