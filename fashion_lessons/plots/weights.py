"""Figures of the weights chapter."""

__all__: list[str] = []
