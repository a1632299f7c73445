from django.urls import path
from django.views.generic import TemplateView

app_name = "places"
urlpatterns = [
    path("find-your-area/", TemplateView.as_view(template_name="core/home.html"), name="find"),
    path("areas/", TemplateView.as_view(template_name="core/home.html"), name="browse"),
]
