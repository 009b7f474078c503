"""The speed layer: less work for moto where it spends this machine's CPU, never a different answer.

The emulator runs on the same cores as the code under test, so each CPU second it
spends storing an upload is taken from the delivery it is measuring; on AWS that work
happens on S3's side and costs the client nothing. These patches only change how moto
does its work: every checksum, ETag and object is the same as without them
(speed.test.ts compares both servers). The launcher applies them with the fidelity
layer; `--no-fidelity` runs moto exactly as it ships.
"""
import base64
import os
import zlib

#: Objects stay in memory. moto otherwise spools every object and part over about 5 MiB
#: to a temporary file, then reads each part back twice to complete a multipart upload.
KEY_BUFFER_BYTES = 64 * 2**30


def apply() -> None:
    os.environ.setdefault("MOTO_S3_DEFAULT_KEY_BUFFER_SIZE", str(KEY_BUFFER_BYTES))

    from moto.s3 import models

    builder = models.MultipartChecksumBuilder

    class IncrementalFullObjectCrc32(builder):  # type: ignore[misc, valid-type]
        """A FULL_OBJECT CRC32 carried from part to part (zlib.crc32 continues a running
        value), instead of computed over a second copy of the whole object assembled for
        the purpose. Other algorithms and types are moto's own."""

        def __init__(self, checksum_algorithm, checksum_type):  # type: ignore[no-untyped-def]
            super().__init__(checksum_algorithm, checksum_type)
            self.running = self.checksum_type == "FULL_OBJECT" and self.checksum_algorithm == "CRC32"
            self.crc = 0

        def addPart(self, part: bytes) -> None:  # noqa: N802 (moto's name)
            if not self.running:
                super().addPart(part)
                return
            self.crc = zlib.crc32(part, self.crc)
            self.part_count += 1

        def build(self):  # type: ignore[no-untyped-def]
            if not self.running:
                return super().build()
            return (self.checksum_type, base64.b64encode(self.crc.to_bytes(4, "big")).decode(), 1)

    models.MultipartChecksumBuilder = IncrementalFullObjectCrc32
