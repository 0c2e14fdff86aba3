"""Sign-up, login and the rest of the account pages. Placeholder until filled in."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

login_view = auth_views.LoginView.as_view(template_name="accounts/login.html")
logout_view = auth_views.LogoutView.as_view()


def signup(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Sign-up is coming.")
