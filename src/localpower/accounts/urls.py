from django.urls import path
from django.views.generic import TemplateView

app_name = "accounts"
_t = TemplateView.as_view(template_name="core/home.html")
urlpatterns = [
    path("sign-in/", _t, name="sign-in"),
    path("sign-up/", _t, name="sign-up"),
    path("sign-out/", _t, name="sign-out"),
    path("account/", _t, name="account"),
    path("staff/", _t, name="staff-home"),
]
