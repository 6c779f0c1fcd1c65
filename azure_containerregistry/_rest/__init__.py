"""The REST layer: request builders and operation groups, shaped like generated Azure SDK code."""
