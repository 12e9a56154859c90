"""SBOMs as input: what soryoku writes as CycloneDX reads back as the same packages; SPDX too."""

from __future__ import annotations

import json
from pathlib import Path

from soryoku.vuln.catalogers.base import FileContext, Package
from soryoku.vuln.catalogers.golang import parse_go_mod
from soryoku.vuln.catalogers.java import parse_java_archive
from soryoku.vuln.catalogers.node import parse_package_lock
from soryoku.vuln.catalogers.sbom_input import package_from_purl, parse_sbom
from soryoku.vuln.demo import write_inputs
from soryoku.vuln.inventory import catalog
from soryoku.vuln.sbom import build_sbom, build_spdx

from .test_java import FAT_JAR


def _key(p: Package) -> tuple[str, str, str, str, str]:
    return (p.ecosystem, p.match_name, p.match_version, p.release, p.purl)


def test_cyclonedx_and_spdx_round_trip(tmp_path: Path) -> None:
    host, app, package = write_inputs(tmp_path)
    packages = [p for target in (host, app, package) for p in catalog(target).packages]
    ctx = FileContext("x", "x")
    packages += parse_go_mod(b"module m\n\nrequire github.com/gin-gonic/gin v1.7.0\n", ctx)
    packages += parse_package_lock(
        json.dumps({"packages": {"node_modules/@babel/core": {"version": "7.0.0"}}}).encode(), ctx
    )
    packages += parse_java_archive(FAT_JAR, ctx)
    bom = tmp_path / "bom.cdx.json"
    bom.write_text(json.dumps(build_sbom("t", "directory", packages)))
    spdx = tmp_path / "bom.spdx.json"
    spdx.write_text(json.dumps(build_spdx("t", packages)))
    for document in (bom, spdx):
        read = catalog(document)
        assert read.gaps == ()
        # a deb's binary rebuild (+b1) is not in its purl: compare what the purl can carry
        assert {_key(p) for p in read.packages} == {_key(p) for p in packages}
        assert all(p.location == str(document) for p in read.packages)


def test_spdx_and_unknown_types() -> None:
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "packages": [
            {
                "name": "lodash",
                "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:npm/lodash@4.17.20"}],
            },
            {"name": "x", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:generic/x@1"}]},
            {"name": "no refs"},
        ],
    }
    (lodash,) = parse_sbom(json.dumps(spdx).encode(), FileContext("sbom.spdx.json", "/s.spdx.json"))
    assert (lodash.ecosystem, lodash.name, lodash.version) == ("npm", "lodash", "4.17.20")
    rpm = package_from_purl("pkg:rpm/amzn/openssl-libs@3.0.8-1.amzn2023.0.3?epoch=1&distro=amzn-2023", "l")
    assert rpm is not None
    assert (rpm.ecosystem, rpm.version, rpm.release) == ("amazon linux", "1:3.0.8-1.amzn2023.0.3", "2023")
    assert package_from_purl("not-a-purl", "l") is None
