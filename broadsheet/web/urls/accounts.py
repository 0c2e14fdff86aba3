from django.urls import path

from broadsheet.web.views import accounts, portability

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("verify/sent/", accounts.verify_sent, name="verify-sent"),
    path("verify/resend/", accounts.verify_resend, name="verify-resend"),
    path("verify/<str:token>/", accounts.verify_email, name="verify-email"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("password/reset/", accounts.password_reset, name="password-reset"),
    path("password/reset/sent/", accounts.password_reset_done, name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password/reset/done/", accounts.password_reset_complete, name="password-reset-complete"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/edit/", accounts.profile_edit, name="profile-edit"),
    path("profile/avatar/", accounts.avatar_upload, name="avatar"),
    path("profile/avatar/remove/", accounts.avatar_remove, name="avatar-remove"),
    path("profile/email/", accounts.email_change, name="email-change"),
    path("profile/email/<str:token>/", accounts.email_change_confirm, name="confirm-email-change"),
    path("profile/password/", accounts.password_change, name="password-change"),
    path("profile/tokens/", accounts.api_tokens, name="api-tokens"),
    path(
        "profile/tokens/<int:token_id>/revoke/", accounts.api_token_revoke, name="api-token-revoke"
    ),
    path("profile/data/", portability.data_download, name="data-download"),
    path("profile/erase/", portability.erase, name="erase"),
    path("erased/", portability.erased, name="erased"),
]
