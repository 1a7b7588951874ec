"""Who owns a case: every case of every module has an owner (an analyst) and perhaps a team,
and its deadlines follow its owner unless someone assigned them by hand (docs/architecture.md
§16). The modules register what they own (``registry.register``); the kernel imports none."""
