"""The error module's reading of ACR error bodies (pure, tested directly)."""

from __future__ import annotations

import json

from azure_containerregistry._errors import _acr_errors


def test_a_refused_access_names_the_scope_it_needed() -> None:
    body = {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required",
                        "detail": [{"Type": "repository", "Name": "library/hello-world",
                                    "Action": "metadata_read"}]}]}
    assert _acr_errors(json.dumps(body).encode()) == [
        ("UNAUTHORIZED",
         "authentication required (needs repository:library/hello-world:metadata_read)")
    ]


def test_odd_details_and_bodies_add_nothing() -> None:
    for detail in ({"name": "x"}, [1, "x", {"Type": "repository"}], None, [{"Type": 1}]):
        body = {"errors": [{"code": "DENIED", "message": "no", "detail": detail}]}
        assert _acr_errors(json.dumps(body).encode()) == [("DENIED", "no")]
    assert _acr_errors(b"not json") == []
    assert _acr_errors(b'{"errors": "x"}') == []
