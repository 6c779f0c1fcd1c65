"""Notebook reprs: ``_repr_html_`` is a valid, escaped table of the fields; ``_repr_pretty_``
prints one field per line; neither raises on odd server data."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest

from azure_containerregistry import (
    ArtifactManifestPlatform,
    ArtifactManifestProperties,
    ArtifactTagProperties,
    ContainerRegistryClient,
    GetManifestResult,
    RepositoryProperties,
)
from azure_containerregistry.purge import (
    Decision,
    Outcome,
    PlanItem,
    PurgePlan,
    PurgeReport,
    Reason,
)
from azure_containerregistry.testing import LocalRegistry

DIGEST = "sha256:" + "a" * 64
VOID = {"br"}


class Checked(HTMLParser):
    """Parses HTML, failing on a tag closed out of order or left open; keeps the text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()
        assert self.stack == [], f"unclosed: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def cells(self) -> str:
        return "\n".join(self.text)


class TextOnlyPrinter:
    """The least of IPython's printer protocol: ``text`` and ``breakable``."""

    def __init__(self) -> None:
        self.out = io.StringIO()

    def text(self, obj: str) -> None:
        self.out.write(obj)

    def breakable(self, sep: str = " ") -> None:
        self.out.write(sep)


def seeded_models(registry: LocalRegistry, client: ContainerRegistryClient) -> list[Any]:
    registry.add_index("multi", tags=["latest"])
    return [
        client.get_repository_properties("multi"),
        client.get_tag_properties("multi", "latest"),
        client.get_manifest_properties("multi", "latest"),
        client.get_manifest_properties("multi", "latest").references[0],
        client.get_manifest("multi", "latest"),
    ]


def test_html_reprs_are_valid_html_containing_every_field(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    models = seeded_models(registry, client)
    for model in models:
        parsed = Checked(model._repr_html_())
        assert type(model).__name__ in parsed.cells()
        assert "table" in parsed.tags
        names = getattr(model, "_fields", ("media_type", "digest", "size", "manifest"))
        for name in names:
            assert f"\n{name}\n" in f"\n{parsed.cells()}\n", (type(model).__name__, name)
    repository, tag, manifest, child, result = models
    assert "multi" in Checked(repository._repr_html_()).cells()
    assert result.digest == manifest.digest and result.digest in Checked(result._repr_html_()).text
    cells = Checked(manifest._repr_html_()).cells()
    assert manifest.digest in cells and "latest" in cells
    assert manifest.created_on.isoformat(sep=" ", timespec="seconds") in cells
    assert child.digest in cells and "arm64" in cells  # the index's children, one line each
    assert tag.digest in Checked(tag._repr_html_()).cells()


def test_manifest_result_html_summarises_and_holds_the_manifest_json_collapsed(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    result = client.get_manifest("app", "v1")
    parsed = Checked(result._repr_html_())
    assert {"details", "summary", "pre"} <= set(parsed.tags)
    assert "1 layer" in parsed.cells() and result.manifest["config"]["digest"] in parsed.cells()
    assert '"schemaVersion": 2' in parsed.cells()


def test_download_stream_html_and_pretty_show_digest_size_and_state(
    registry: LocalRegistry, client: ContainerRegistryClient
) -> None:
    registry.add_image("app", tags=["v1"])
    layer = client.get_manifest("app", "v1").manifest["layers"][0]
    with client.download_blob("app", layer["digest"]) as stream:
        assert "open" in Checked(stream._repr_html_()).cells()
        b"".join(stream)
        cells = Checked(stream._repr_html_()).cells()
        printer = TextOnlyPrinter()
        stream._repr_pretty_(printer, False)
    assert layer["digest"] in cells and "complete" in cells
    assert printer.out.getvalue().splitlines()[1:3] == [
        f"    digest={layer['digest']!r},", f"    size={layer['size']},"
    ]


def test_server_text_is_escaped_in_html() -> None:
    hostile = "<script>alert(1)</script>&<b>"
    tag = ArtifactTagProperties._from_wire(
        {"name": hostile, "digest": hostile}, repository=hostile, registry="r"
    )
    parsed = Checked(tag._repr_html_())
    assert "script" not in parsed.tags and "b" in parsed.tags  # only our caption's <b>
    assert hostile in parsed.cells()
    result = GetManifestResult(manifest={"x": hostile}, media_type=hostile, digest=DIGEST)
    assert "script" not in Checked(result._repr_html_()).tags


@pytest.mark.parametrize("bad", ["garbage", 5, None, [], {}, ["x", 1], True, 1.5, "\x00<"])
def test_reprs_never_raise_on_odd_server_data(bad: Any) -> None:
    wire = {
        "digest": bad, "name": bad, "imageName": bad, "imageSize": bad, "tags": bad,
        "createdTime": bad, "architecture": bad, "os": bad, "references": [bad],
        "manifestCount": bad, "changeableAttributes": bad, "mediaType": bad,
    }  # fmt: skip
    models: list[Any] = [
        ArtifactManifestProperties._from_wire(wire, repository=bad, registry=bad),
        ArtifactTagProperties._from_wire(wire, repository=bad, registry=bad),
        RepositoryProperties._from_wire(wire),
        ArtifactManifestPlatform(wire),
        GetManifestResult(manifest={"layers": bad, "config": bad}, media_type="a/b", digest=DIGEST),
    ]
    for model in models:
        Checked(model._repr_html_())
        model._repr_pretty_(TextOnlyPrinter(), False)
        repr(model)


def test_pretty_prints_one_field_per_line_with_a_text_only_printer() -> None:
    tag = ArtifactTagProperties(name="v1", digest=DIGEST, created_on="2026-01-02T03:04:05Z")
    printer = TextOnlyPrinter()
    tag._repr_pretty_(printer, False)
    lines = printer.out.getvalue().splitlines()
    assert lines[0] == "ArtifactTagProperties(" and lines[-1] == ")"
    assert lines[1:3] == ["    name='v1',", f"    digest={DIGEST!r},"]
    when = "datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)"
    assert f"    created_on={when}," in lines
    assert len(lines) == len(ArtifactTagProperties._fields) + 2
    cycled = TextOnlyPrinter()
    tag._repr_pretty_(cycled, True)
    assert cycled.out.getvalue() == "ArtifactTagProperties(...)"


def test_ipython_pretty_prints_one_field_per_line_and_nests_references() -> None:
    from IPython.lib import pretty
    child = ArtifactManifestPlatform({"digest": DIGEST, "architecture": "arm64", "os": "linux"})
    manifest = ArtifactManifestProperties(
        digest=DIGEST, architecture="amd64", references=[child], size_in_bytes=3
    )
    lines = pretty.pretty(manifest).splitlines()
    assert lines[0] == "ArtifactManifestProperties("
    assert "    architecture='amd64'," in lines and "    size_in_bytes=3," in lines
    nested = lines.index("    references=[ArtifactManifestPlatform(")
    assert lines[nested + 1] == f"         digest={DIGEST!r},"  # indented under its parent
    assert pretty.pretty([child]).startswith("[ArtifactManifestPlatform(\n")
    result = GetManifestResult(manifest={"layers": [{}, {}]}, media_type="a/b", digest=DIGEST)
    assert "    manifest='2 layers'," in pretty.pretty(result).splitlines()


def test_purge_plan_and_report_show_counts_and_list_what_they_touch() -> None:
    item = PlanItem(kind="manifest", repository="<app>", name=DIGEST, decision=Decision.DELETE,
                    reason=Reason.UNTAGGED, digest=DIGEST, size=2048)
    kept = PlanItem(kind="tag", repository="app", name="v1", decision=Decision.KEEP,
                    reason=Reason.TOO_NEW)
    plan = PurgePlan(items=[item, kept], created_on="2026-01-02T03:04:05+00:00")
    parsed = Checked(plan._repr_html_())
    assert "delete manifests" in parsed.text and "2,048 (2.0 KiB)" in parsed.text
    assert f"delete manifest <app>@{DIGEST} (untagged)" in parsed.cells()
    printer = TextOnlyPrinter()
    plan._repr_pretty_(printer, False)
    assert "    delete manifests=1," in printer.out.getvalue().splitlines()
    report = PurgeReport(deleted=[Outcome(item, "deleted")],
                         failed=[Outcome(kept, "failed", "HttpResponseError: <boom>")])
    cells = Checked(report._repr_html_()).cells()
    assert "failed tag app:v1 (HttpResponseError: <boom>)" in cells and "False" in cells
