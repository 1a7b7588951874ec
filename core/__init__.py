"""The shared kernel: database, people and access, audit, clocks, deadlines, PDFs, exports.

Nothing in ``core`` imports a domain module (``intake``, ``casework``, ``exemptions``,
``special_measures``); the modules import ``core``.
"""
