"""urls_staff of the consultations app (namespace "consultations")."""

urlpatterns: list = []
