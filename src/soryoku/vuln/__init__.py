"""soryoku.vuln: known vulnerabilities in hosts, images, Lambda packages and lockfiles, offline.

The pipeline, one module per stage: ``targets`` resolves what to scan (a path, ``registry://``,
``ecr:``, ``lambda:``, ``ec2:``) → ``artifacts`` gives its files (folder, zip, image layers with
whiteouts) → ``catalogers`` turn files into packages (``inventory``) → ``advisories`` is the local
OSV database → ``matcher`` applies each ecosystem's version rules (``versions``) → ``scanner``
builds the findings; ``plan`` and ``sbom`` are the other outputs. Nothing runs at import.
"""
