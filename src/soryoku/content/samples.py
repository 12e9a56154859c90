"""Harmless sample files for the demo, the tests and the benchmark: EICAR, nested and encrypted archives.

The EICAR file is the industry's agreed test file: every engine detects it, it does nothing.
"""

from __future__ import annotations

import io
import os
import struct
import tarfile
import zipfile
import zlib

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def zip_bytes(members: dict[str, bytes], *, compress: bool = True) -> bytes:
    """A zip archive of ``members``."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_gz_bytes(members: dict[str, bytes]) -> bytes:
    """A gzip-compressed tar archive of ``members``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def nested_eicar_zip() -> bytes:
    """EICAR hidden two archive levels deep: outer.zip → level1.tar.gz → level2.zip → eicar.com."""
    level2 = zip_bytes({"docs/readme.txt": b"nothing here\n", "eicar.com": EICAR})
    level1 = tar_gz_bytes({"level2.zip": level2, "notes.txt": b"quarterly notes\n"})
    return zip_bytes({"level1.tar.gz": level1, "index.html": b"<html>hello</html>\n"})


class _ZipCrypto:
    """The traditional PKWARE stream cipher (what ``zip -e`` writes)."""

    def __init__(self, password: bytes) -> None:
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self._update(byte)

    @staticmethod
    def _crc(crc: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def _update(self, byte: int) -> None:
        k0, k1, k2 = self.keys
        k0 = self._crc(k0, byte)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = self._crc(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for byte in data:
            temp = (self.keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            self._update(byte)
        return bytes(out)


def encrypted_zip(members: dict[str, bytes], password: bytes = b"infected") -> bytes:
    """A zip whose members are encrypted with ZipCrypto (stored, so it stays tiny and simple)."""
    local = io.BytesIO()
    central = io.BytesIO()
    for name, data in members.items():
        encoded = name.encode()
        crc = zlib.crc32(data)
        cipher = _ZipCrypto(password)
        header = os.urandom(11) + bytes([crc >> 24])
        body = cipher.encrypt(header + data)
        offset = local.tell()
        fields = (20, 0x1, 0, 0, 0x21, crc, len(body), len(data), len(encoded), 0)
        local.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields) + encoded + body)
        central.write(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    directory = central.getvalue()
    count = len(members)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), local.tell(), 0)
    return local.getvalue() + directory + end


__all__ = ["EICAR", "encrypted_zip", "nested_eicar_zip", "tar_gz_bytes", "zip_bytes"]
