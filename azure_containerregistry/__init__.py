"""A synchronous client for Azure Container Registry, drop-in for ``azure.containerregistry``."""

from ._version import VERSION

__version__ = VERSION

__all__ = ["__version__"]
