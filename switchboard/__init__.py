"""Switchboard: the Python side of the contact-center KPI warehouse."""

from importlib import metadata

try:  # one source of truth: the version in pyproject.toml, as installed (`make install`: pip install -e .)
    __version__ = metadata.version("switchboard")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
