"""Safe registry cleanup: plan what to delete, review it, then execute it.

.. code-block:: python

    from azure_containerregistry.purge import plan

    reviewed = plan(client, ["app/.*:.*"], ago="30d", keep=5, untagged=True)
    print(reviewed.summary())          # nothing deleted yet
    report = reviewed.execute(client)  # rechecks each item, then deletes
    assert report.ok, report.failed

:func:`plan` only reads. It lists every repository, tag and manifest it looked at with a
:class:`Decision` and a :class:`Reason`, and always keeps the children of indexes that stay,
the referrers (signatures, SBOMs) of manifests that stay, and anything it can't read. A plan
round-trips through JSON (:meth:`PurgePlan.to_json`, :meth:`PurgePlan.from_json`) so it can be
reviewed and applied later; :meth:`PurgePlan.execute` skips whatever changed meanwhile.
"""

from ._model import Decision, Outcome, PlanItem, PurgePlan, PurgeReport, Reason
from ._plan import plan

__all__ = ["Decision", "Outcome", "PlanItem", "PurgePlan", "PurgeReport", "Reason", "plan"]
