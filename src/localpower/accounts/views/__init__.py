"""Pages for people (auth, account), organisations and council staff."""
