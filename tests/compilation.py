"""Compiled code shared by the applications a test run builds.

Each test builds its own application, so that no configuration or extension state leaks between
tests. Building one means compiling, for each of its ~220 routes, two URL builders (werkzeug
generates and compiles Python source for each), and on first use compiling each template: about a
third of the CPU time of a database test, spent again by every test on identical input. Both are
compiled once per test process here and shared; the compiled code is the same, so what a test
sees of URLs and pages is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule


class RuleWithSharedBuilders(Rule):
    """A route whose URL builders are compiled once per process for each distinct rule.

    A builder is generated from the rule's text, defaults and converters only; it takes the rule
    as its first argument and reads the converters from it, so one compiled builder serves every
    application's copy of the same rule.
    """

    _builders: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        assert self.map is not None
        key = (
            self.rule,
            self.subdomain,
            self.host,
            self.map.host_matching,
            self.merge_slashes,
            repr(sorted((self.defaults or {}).items())),
            tuple((name, type(converter)) for name, converter in self._converters.items()),
            append_unknown,
        )
        builder = self._builders.get(key)
        if builder is None:
            builder = self._builders[key] = super()._compile_builder(append_unknown)
        return builder


class SharedBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache kept in this process's memory (Jinja checks each template's source
    checksum, so a changed template is compiled again)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedBytecodeCache()
