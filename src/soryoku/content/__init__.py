"""soryoku.content: malware scanning of files and S3 objects.

Engines (yara-python, YARA-X, hash lists, ClamAV via clamd) run over every object and every member
of the archives inside it, within limits; each object gets exactly one verdict: clean, malicious,
unscannable or error. The S3 side applies the verdict (tags, quarantine, notification) and the same
code runs in the CLI, in bulk and in the Lambda handler.
"""
