"""urls_public of the consultations app (namespace "consultations")."""

urlpatterns: list = []
