"""Consultations and calls for evidence: surveys built by officers, responses, summaries and "You said, we did"."""
