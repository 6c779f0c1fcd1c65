"""Explore a registry: an inventory of repositories, manifests and tags, and its storage.

.. code-block:: python

    from azure_containerregistry.explore import inventory

    found = inventory(client, layers=True)   # concurrent, throttling-aware, with a progress bar
    found.to_dataframe()                      # one typed row per (repository, manifest)
    found.storage()                           # total / shared / unique / untagged bytes

The DataFrames and the progress bar use the ``notebook`` extra
(``pip install "azure-acr-client[notebook]"``: pandas, tqdm, matplotlib); the data itself
(:attr:`Inventory.manifests`, :meth:`Inventory.storage_rows`, ...) needs nothing more.
"""

from ._inventory import Inventory
from ._progress import ProgressEvent
from ._records import Blob, ManifestRecord, TagRecord, WalkError
from ._storage import StorageRow, StorageTotals
from ._walk import inventory

__all__ = [
    "Blob",
    "Inventory",
    "ManifestRecord",
    "ProgressEvent",
    "StorageRow",
    "StorageTotals",
    "TagRecord",
    "WalkError",
    "inventory",
]
