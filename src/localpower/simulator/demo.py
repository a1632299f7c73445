"""Demo data for the demo borough (see core's `demo` command). Safe to run again."""

from __future__ import annotations


def build_demo_simulators(areas) -> None:
    """Filled in as the app is built."""
