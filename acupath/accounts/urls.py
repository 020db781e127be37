from django.contrib.auth import views as auth_views
from django.urls import path

from acupath.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("locked/", views.locked_list, name="locked"),
    path("locked/<int:attempt_id>/unlock/", views.unlock, name="unlock"),
]
