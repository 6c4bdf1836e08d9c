"""Wufei (无废): one network for every tonne of solid waste."""

__version__ = "0.1.0"
