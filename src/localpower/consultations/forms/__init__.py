"""Forms for consultations."""
