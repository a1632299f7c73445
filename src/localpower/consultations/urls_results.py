"""urls_results of the consultations app (namespace "consultations")."""

urlpatterns: list = []
