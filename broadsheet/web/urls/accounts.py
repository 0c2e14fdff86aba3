from django.urls import path

from broadsheet.web.views import accounts

app_name = "accounts"

urlpatterns = [
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("signup/", accounts.signup, name="signup"),
    path("profile/", accounts.signup, name="profile"),
]
