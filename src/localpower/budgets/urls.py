from django.urls import include, path

app_name = "budgets"

urlpatterns = [
    path("staff/budgets/", include("localpower.budgets.urls_staff")),
]
