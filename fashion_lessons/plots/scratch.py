"""Figures of the scratch chapter."""

__all__: list[str] = []
