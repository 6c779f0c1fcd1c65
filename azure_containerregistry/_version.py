"""The package version, read by the build backend and exposed as ``__version__``."""

VERSION = "0.1.0"
