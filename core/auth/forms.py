"""Forms for log-in and the second factor: the shape of input only."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from core.input_hygiene import Form


class LoginForm(Form):
    acknowledge = BooleanField(
        "I have read the notice above and consent to its terms",
        validators=[DataRequired("Acknowledge the system-use notice to sign in.")],
    )
    email = StringField(
        "Email address",
        validators=[
            DataRequired("Enter your email address."),
            Length(max=254, message="An email address is at most 254 characters."),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password."),
            Length(max=256, message="A password is at most 256 characters."),
        ],
        render_kw={"autocomplete": "current-password"},
    )
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
