"""Views for consultations (thin: reads through selectors, writes through services)."""
