"""Enums: values as API.md lists them, case-insensitive, seed-era names interchangeable."""

from __future__ import annotations

from azure_containerregistry import (
    ArtifactArchitecture,
    ArtifactManifestOrder,
    ArtifactOperatingSystem,
    ArtifactTagOrder,
    ManifestOrder,
    TagOrder,
)


def test_architecture_values() -> None:
    assert {m.name: m.value for m in ArtifactArchitecture} == {
        "AMD64": "amd64", "ARM": "arm", "ARM64": "arm64", "I386": "386", "MIPS": "mips",
        "MIPS64": "mips64", "MIPS64LE": "mips64le", "MIPSLE": "mipsle", "PPC64": "ppc64",
        "PPC64LE": "ppc64le", "RISCV64": "riscv64", "S390X": "s390x", "WASM": "wasm",
    }  # fmt: skip


def test_operating_system_values_are_lower_case_names() -> None:
    names = ["AIX", "ANDROID", "DARWIN", "DRAGONFLY", "FREEBSD", "ILLUMOS", "IOS", "JS", "LINUX",
             "NETBSD", "OPENBSD", "PLAN9", "SOLARIS", "WINDOWS"]  # fmt: skip
    assert {m.name: m.value for m in ArtifactOperatingSystem} == {n: n.lower() for n in names}


def test_order_enums_and_seed_names_share_values() -> None:
    for order in (ArtifactManifestOrder, ArtifactTagOrder):
        assert order.NONE == "none"
        assert order.LAST_UPDATED_ON_DESCENDING == "timedesc"
        assert order.LAST_UPDATED_ON_ASCENDING == "timeasc"
    for seed in (ManifestOrder, TagOrder):
        assert seed.LAST_UPDATE_TIME_DESCENDING == "timedesc"
        assert seed.LAST_UPDATE_TIME_ASCENDING == "timeasc"


def test_enums_are_case_insensitive_strings() -> None:
    assert ArtifactArchitecture["amd64"] is ArtifactArchitecture.AMD64
    assert ArtifactOperatingSystem.LINUX == "linux"
    assert isinstance(ArtifactTagOrder.NONE, str)
