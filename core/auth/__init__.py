"""People and access: users, roles, log-in, sessions, second factor."""
