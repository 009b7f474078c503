"""Check a flexible-checksum header against the body it came with (PutObject, UploadPart).

moto stores the value of an ``x-amz-checksum-<algorithm>`` request header as the
object's or the part's checksum without computing it, so a wrong value is accepted and
later reported back (HeadObject, UploadPart's answer) as if S3 had verified it. AWS
computes the checksum of the body it received and refuses a mismatch with HTTP 400
``BadDigest`` ("The CRC32 you specified did not match the calculated checksum."),
storing nothing.

Checked: CRC32, SHA1 and SHA256, the algorithms Python computes without optional
libraries. A checksum sent as a trailer (an aws-chunked body) is left to moto.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
"""
from __future__ import annotations

import base64
import hashlib
import zlib
from typing import Any, Callable

#: How each checked algorithm is computed (the speed layer shares the CRC32 with the stored part).
DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "crc32": lambda body: zlib.crc32(body).to_bytes(4, "big"),
    "sha1": lambda body: hashlib.sha1(body).digest(),
    "sha256": lambda body: hashlib.sha256(body).digest(),
}


def _verify(response: Any) -> None:
    from moto.s3.exceptions import S3ClientError

    for algorithm, digest in DIGESTS.items():
        sent = response.headers.get(f"x-amz-checksum-{algorithm}")
        if sent is None:
            continue
        body = response.body or b""
        if base64.b64encode(digest(body)).decode() != sent.strip():
            raise S3ClientError(
                "BadDigest", f"The {algorithm.upper()} you specified did not match the calculated checksum."
            )


def apply() -> None:
    from moto.s3.responses import S3Response

    for name in ("put_object", "upload_part"):
        moto_handler = getattr(S3Response, name)

        def checked(self: Any, _handler: Any = moto_handler) -> Any:
            _verify(self)
            return _handler(self)

        setattr(S3Response, name, checked)
