"""The application factory: configuration, extensions, blueprints and commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, session
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import casework
import casework.draft_views  # its routes join casework's blueprint
import casework.oversight.views  # its routes join casework's blueprint
import casework.penalties.views  # its routes join casework's blueprint
import casework.views
import core.approvals.views
import core.audit.views
import core.auth.views
import core.consultations.reminders  # the daily reminder of positions due (§7.306(e)(2))
import core.consultations.views
import core.dashboard.views
import core.deadlines.views
import core.jobs
import core.jobs.views
import core.notifications.digest  # the daily digests, each at its person's time
import core.notifications.receivers
import core.notifications.views
import core.office.views
import core.ownership.views
import core.parameters.views
import core.search.views
import core.users.views
import exemptions
import exemptions.views
import intake
import intake.ai.views
import intake.api
import intake.change_notices.views  # adds the notices of §7.309(b) to intake.views.bp
import intake.correspondence.api  # adds the requests and correspondence to intake.api.bp
import intake.correspondence.views
import intake.filings.views  # adds the filings inbox to intake.views.bp
import intake.resellers.views  # adds the reseller pages to intake.views.bp
import intake.reviews.views  # adds the review of certifications to intake.views.bp
import intake.views
import special_measures
import special_measures.api
import special_measures.draft_views  # its route joins the module's blueprint
import special_measures.hit_queue  # adds the queue of screening hits to special_measures.views.bp
import special_measures.lapse  # the daily lapse of measures not extended (§7.307(a)(5))
import special_measures.views
import violation_reports
import violation_reports.views
from core import cli as core_cli
from core import (
    clocks,
    config,
    errorpages,
    health,
    listing,
    panels,
    problems,
    request_log,
    schema_forms,
    transactions,
    urls,
    wording,
)
from core.access import current_role, enforce_route_roles, user_may
from core.auth.models import User
from core.auth.services import resume_session
from core.db import db, migrate
from core.navigation import MODULE_LABELS, navigation_of_role
from core.rate_limits import services as rate_limits
from core.request_size import SizeLimitedRequest
from core.schema import COUNTRY_CHOICES, phone_shown
from core.security import add_security_headers

ROOT = Path(__file__).resolve().parent
csrf = CSRFProtect()
login_manager = LoginManager()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return resume_session(session.get(core.auth.views.SESSION_TOKEN_KEY), user_id)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = SizeLimitedRequest
    # Before any blueprint adds its routes: ids too large for the database, and text segments
    # with control characters, answer 404.
    app.url_map.converters["int"] = urls.BoundedIntegerConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = urls.PlainTextConverter
    app.config.update(config.load(Path(app.instance_path)))
    app.config.update(overrides or {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A page read while a large import commits waits for it rather than failing with
        # "database is locked" (SQLite's own default is five seconds).
        engine_options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **engine_options,
            "connect_args": {"timeout": 30},
        }
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    request_log.init_app(app)
    db.init_app(app)
    transactions.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    # Roles are checked before CSRF so that a forbidden form post answers 403, not 400.
    app.before_request(enforce_route_roles)
    csrf.init_app(app)
    # Providers' systems authenticate each request with a bearer token, not a cookie.
    csrf.exempt(intake.api.bp)
    app.after_request(add_security_headers)
    errorpages.register(app)

    for blueprint in (
        core.auth.views.bp,
        core.dashboard.views.bp,
        core.deadlines.views.bp,
        core.approvals.views.bp,
        core.consultations.views.bp,
        core.search.views.bp,
        core.audit.views.bp,
        core.parameters.views.bp,
        core.office.views.bp,
        core.ownership.views.bp,
        core.users.views.bp,
        core.jobs.views.bp,
        core.notifications.views.bp,
        core.notifications.views.outbox_bp,
        problems.bp,
        health.bp,
        intake.views.bp,
        intake.ai.views.bp,
        intake.api.bp,
        intake.correspondence.views.bp,
        casework.views.bp,
        exemptions.views.bp,
        special_measures.views.bp,
        special_measures.api.bp,
        violation_reports.views.bp,
        violation_reports.views.public_bp,
    ):
        app.register_blueprint(blueprint)
    # Each module connects its receivers to the kernel's signals (core.signals), for this
    # application only.
    for module in (intake, special_measures, casework, exemptions, violation_reports):
        module.init_app(app)
    core.notifications.receivers.init_app(app)
    core.ownership.views.init_app(app)
    # After the modules, whose imports registered their kinds of job and daily runs.
    core.jobs.init_app(app)
    # Once every route is registered: the limits the views declare are applied to them.
    rate_limits.init_app(app)

    @app.context_processor
    def page_globals() -> dict[str, Any]:
        return {
            "navigation": navigation_of_role(current_role()),
            "user_may": user_may,
            "office_today": clocks.office_today(),
            "office_name": app.config["OFFICE_NAME"],
            "module_labels": MODULE_LABELS,
        }

    app.add_template_filter(clocks.office_time, "office_time")
    app.add_template_filter(phone_shown, "phone")
    app.add_template_filter(wording.in_sentence, "in_sentence")
    app.add_template_filter(wording.sentence_case, "sentence_case")
    # Globals rather than context: the form macros are imported without the page's context.
    app.jinja_env.globals.update(
        input_id=schema_forms.input_id,
        panels_for=panels.panels_for,
        display_value=schema_forms.display_value,
        field_label=schema_forms.field_label,
        countries=COUNTRY_CHOICES,
        list_args=listing.list_args,
    )
    core_cli.register(app)
    import demo
    import scale_seed

    app.cli.add_command(demo.seed_demo_command)
    app.cli.add_command(scale_seed.seed_scale_command)
    app.cli.add_command(casework.views.risk_snapshot_command)
    app.cli.add_command(casework.views.risk_refresh_command)
    return app
