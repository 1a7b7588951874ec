"""Rate limits on sign-in, the filing API and the public feed (Flask-Limiter), counted where
every worker and machine sees the same counts: the application's own database in production."""
