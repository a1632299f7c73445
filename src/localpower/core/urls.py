from django.urls import path

from localpower.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("have-your-say/", views.have_your_say, name="have-your-say"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
