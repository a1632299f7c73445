from django.urls import path

from localpower.places import views

app_name = "places"
urlpatterns = [
    path("find-your-area/", views.find_your_area, name="find"),
    path("areas/", views.browse, name="browse"),
    path("areas/<slug:slug>/", views.area_detail, name="area"),
]
