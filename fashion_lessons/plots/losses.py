"""Figures of the losses chapter."""

__all__: list[str] = []
