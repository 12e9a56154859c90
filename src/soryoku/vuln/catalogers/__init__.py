"""Catalogers: artifact files → packages (name, version, ecosystem, purl, location)."""
