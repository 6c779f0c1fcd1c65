"""The public namespace is exactly API.md's list: nothing becomes public by accident."""

from __future__ import annotations

import azure_containerregistry


def test_all_is_pinned() -> None:
    assert sorted(azure_containerregistry.__all__) == sorted(
        [
            "ArtifactArchitecture",
            "ArtifactManifestOrder",
            "ArtifactManifestPlatform",
            "ArtifactManifestProperties",
            "ArtifactOperatingSystem",
            "ArtifactTagOrder",
            "ArtifactTagProperties",
            "ContainerRegistryClient",
            "CopyEvent",
            "DigestValidationError",
            "DownloadBlobStream",
            "GetManifestResult",
            "ManifestOrder",
            "MetadataApiUnavailableError",
            "RepositoryProperties",
            "TagOrder",
            "__version__",
            "copy_image",
        ]
    )
    for name in azure_containerregistry.__all__:
        assert hasattr(azure_containerregistry, name)


def test_digest_validation_error_is_a_value_error() -> None:
    assert issubclass(azure_containerregistry.DigestValidationError, ValueError)
