"""Local Power: software a UK council and its communities use to share power."""

__version__ = "0.1.0"
