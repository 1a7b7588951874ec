"""Forms for log-in, the second factor, one's own password and the one-time account links: the
shape of input only."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from core.input_hygiene import Form


def email_field(
    *, missing: str = "Enter your email address.", description: str = "", autocomplete: str
) -> StringField:
    """An email address typed: the shape only (the service checks and normalises it)."""
    return StringField(
        "Email address",
        description=description,
        validators=[
            DataRequired(missing),
            Length(max=254, message="An email address is at most 254 characters."),
        ],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


def _current_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(f"Enter your {label.lower()}."),
            Length(max=256, message="A password is at most 256 characters."),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class LoginForm(Form):
    acknowledge = BooleanField(
        "I have read the notice above and consent to its terms",
        validators=[DataRequired("Acknowledge the system-use notice to sign in.")],
    )
    email = email_field(autocomplete="username")
    password = _current_password("Password")
    next = HiddenField()


SIX_DIGITS = Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="Enter the 6-digit code from your app.")


class SecondFactorForm(Form):
    code = StringField(
        "6-digit code from your authenticator app",
        validators=[DataRequired("Enter the 6-digit code from your app."), SIX_DIGITS],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class EnrolSecondFactorForm(SecondFactorForm):
    pass


class ForgotPasswordForm(Form):
    email = email_field(
        description="The address your account was made with.", autocomplete="username"
    )


def _new_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=(
            "At least 15 characters (12 with a second factor). A few unrelated words make a "
            "good one; a common or breached password is refused."
        ),
        validators=[
            DataRequired("Enter a password."),
            Length(max=256, message="A password is at most 256 characters."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _confirmation(of: str) -> PasswordField:
    return PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo(of, message="The two passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChoosePasswordForm(Form):
    """The page of an enrolment or new-password link."""

    password = _new_password("New password")
    confirm = _confirmation("password")


class ChangePasswordForm(Form):
    current_password = _current_password("Current password")
    new_password = _new_password("New password")
    confirm = _confirmation("new_password")
