"""Figures of the neurons chapter."""

__all__: list[str] = []
