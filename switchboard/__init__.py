"""Switchboard: the Python side of the contact-center KPI warehouse."""

__version__ = "0.1.0"
