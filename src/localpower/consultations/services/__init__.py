"""Writes for consultations: ``building`` (the consultation and its survey), ``responding`` (drafts and sent
responses) and ``results`` (officers' tags and the published "You said, we did")."""
