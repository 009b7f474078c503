"""Report when each multipart upload really started, in ListMultipartUploads.

moto answers every upload's ``Initiated`` with one fixed date in 2010, so every
upload looks years old: ``ion-dest cleanup`` with its default ``--older-than 24h``
would abort a delivery that is running right now. AWS reports the date and time
at which the multipart upload was initiated (ISO 8601, UTC, milliseconds:
``2010-11-10T20:48:33.000Z``).

https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
https://docs.aws.amazon.com/AmazonS3/latest/API/API_MultipartUpload.html
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

# One <Upload> element of moto's response, and the two fields of it this patch reads and rewrites.
UPLOAD_ELEMENT = re.compile(r"<Upload>.*?</Upload>", re.DOTALL)
UPLOAD_ID = re.compile(r"<UploadId>([^<]*)</UploadId>")
INITIATED = re.compile(r"<Initiated>[^<]*</Initiated>")


def iso8601(moment: datetime) -> str:
    """``2026-12-04T19:05:07.123Z``: the form S3 uses for timestamps in its XML."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def apply() -> None:
    from moto.s3.models import FakeMultipart
    from moto.s3.responses import S3Response

    moto_init = FakeMultipart.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        moto_init(self, *args, **kwargs)
        # CreateMultipartUpload is the only place moto builds one: this is when the upload started.
        self.initiated = datetime.now(timezone.utc)

    FakeMultipart.__init__ = init

    moto_list = S3Response.list_multipart_uploads

    def list_multipart_uploads(self: Any) -> Any:
        response = moto_list(self)
        status, headers, body = response
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        uploads = self.backend.list_multipart_uploads(self.bucket_name)

        def honest(match: re.Match[str]) -> str:
            element = match.group(0)
            found = UPLOAD_ID.search(element)
            upload = uploads.get(found.group(1)) if found else None
            started = getattr(upload, "initiated", None)
            if started is None:
                raise AssertionError(f"ListMultipartUploads: no start time recorded for {element[:200]}")
            return INITIATED.sub(f"<Initiated>{iso8601(started)}</Initiated>", element, count=1)

        return status, headers, UPLOAD_ELEMENT.sub(honest, text)

    S3Response.list_multipart_uploads = list_multipart_uploads
