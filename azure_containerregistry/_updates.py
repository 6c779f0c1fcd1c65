"""The body of an ``update_*_properties`` call: a model's flags with the keyword flags on top."""

from __future__ import annotations

from typing import Dict, Optional

from ._models import _Changeable
from ._rest.models import ChangeableAttributes

__all__ = ["patch_body"]


def patch_body(
    properties: Optional[_Changeable],
    overrides: Dict[str, Optional[bool]],
    *,
    teleport: bool = False,
) -> ChangeableAttributes:
    """The PATCH body: ``properties``' set flags, then the set keyword flags (``can_*``).

    Unset (None) flags are not sent, so an update never resets what the caller did not name.

    :param teleport: send ``teleport_enabled`` (only the preview API version knows it).
    :raises TypeError: ``properties`` is not a properties model, or a flag is not a bool.
    """
    if properties is not None and not isinstance(properties, _Changeable):
        raise TypeError(f"properties must be a properties model, not {type(properties).__name__}")
    body = (
        properties._changeable_attributes() if properties is not None else ChangeableAttributes()
    )
    if not teleport:
        body.teleport_enabled = None
    for keyword, value in overrides.items():
        if value is not None:
            if not isinstance(value, bool):
                raise TypeError(f"{keyword} must be a bool, not {type(value).__name__}")
            setattr(body, keyword.replace("can_", "") + "_enabled", value)
    return body
