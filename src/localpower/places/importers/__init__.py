"""Importers that load places from files. The management commands are thin wrappers around these."""
