"""Account forms: they parse and shape the request only; every write is a service call.

Validation that needs the database or the rules of an account (unique
address, confusable names, password strength) lives in the services, whose
`InvalidInput` errors come back onto the right field through `add_domain_error`.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from broadsheet.accounts import services
from broadsheet.accounts.models import TokenScope, User
from broadsheet.core.errors import BroadsheetError


def add_domain_error(form: forms.Form, error: BroadsheetError) -> None:
    """Shows a service's refusal beside the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, forms.ValidationError(error.message, code=error.code))


def _email_field(label: str = "E-mail address", **attrs) -> forms.CharField:
    # A CharField: the service validates the address and words the message.
    return forms.CharField(
        label=label,
        max_length=services.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", **attrs}),
    )


def _password_field(label: str, autocomplete: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=1024,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
PASSWORD_HELP = "At least 8 characters; not a common password, not all digits."  # noqa: S105


class SignupForm(forms.Form):
    email = _email_field(autofocus=True)
    display_name = forms.CharField(
        label="Display name",
        max_length=services.DISPLAY_NAME_MAX_LENGTH,
        help_text="Shown with your comments. Up to 50 characters.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password = _password_field("Password", "new-password", PASSWORD_HELP)


class LoginForm(AuthenticationForm):
    """Django's login form, with the address compared case-blind (and throttled that way)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account. "
        "Check both and try again (the password is case-sensitive).",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )

    def clean_username(self) -> str:
        # Lowercased before django-axes counts the failure, so "A@x" and "a@x" share one lock.
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=services.DISPLAY_NAME_MAX_LENGTH,
        help_text="Shown with your comments. Up to 50 characters.",
    )
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=services.BIO_MAX_LENGTH,
        help_text="Optional. Up to 2,000 characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AvatarForm(forms.Form):
    # A plain FileField: the avatars module checks it with Pillow and words the refusals.
    avatar = forms.FileField(
        label="Picture",
        help_text="JPEG, PNG, GIF or WebP; up to 2 MB and 4000x4000 pixels. "
        "It is cropped to a square.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_TYPES)}),
    )


class EmailChangeForm(forms.Form):
    new_email = _email_field("New e-mail address")
    password = _password_field("Your password", "current-password")


class PasswordChangeForm(forms.Form):
    current_password = _password_field("Current password", "current-password")
    new_password = _password_field("New password", "new-password", PASSWORD_HELP)
    new_password_again = _password_field("New password, again", "new-password")

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("new_password")
            and data.get("new_password_again")
            and data["new_password"] != data["new_password_again"]
        ):
            self.add_error("new_password_again", "The two new passwords differ.")
        return data


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, whose save hands the address to the accounts service."""

    email = _email_field()

    def save(self, **kwargs) -> None:
        services.user_request_password_reset(email=self.cleaned_data["email"])


class ResetPasswordForm(SetPasswordForm):
    """Django's set-password form (two fields, validators), saved through the service."""

    def save(self, commit: bool = True) -> User:
        return services.user_reset_password(
            user=self.user, new_password=self.cleaned_data["new_password1"]
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=services.TOKEN_NAME_MAX_LENGTH,
        help_text="What will use it, e.g. “newsletter script”.",
    )
    scope = forms.ChoiceField(
        label="Scope",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text="Read: GET requests only. Read and write: everything you can do on the site.",
        widget=forms.RadioSelect,
    )
