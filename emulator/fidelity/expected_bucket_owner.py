"""Honour ``ExpectedBucketOwner`` (and ``ExpectedSourceBucketOwner`` on copies).

moto ignores the ``x-amz-expected-bucket-owner`` header. AWS: when the bucket is
owned by another account than the one named, the request fails with HTTP 403
AccessDenied; the same holds for ``x-amz-source-expected-bucket-owner`` and the
source bucket of CopyObject and UploadPartCopy. The check runs after moto's own
authentication and authorization, whether or not IAM enforcement is on.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote

EXPECTED_OWNER_HEADER = "x-amz-expected-bucket-owner"
EXPECTED_SOURCE_OWNER_HEADER = "x-amz-source-expected-bucket-owner"
COPY_SOURCE_HEADER = "x-amz-copy-source"


def _owner_of(backend: Any, bucket_name: str) -> str | None:
    from moto.s3.exceptions import MissingBucket

    try:
        return backend.get_bucket(bucket_name).account_id
    except MissingBucket:
        return None  # the operation itself answers NoSuchBucket


def _check(backend: Any, bucket_name: str | None, expected: str | None) -> None:
    from moto.s3.exceptions import BucketAccessDeniedError

    if not bucket_name or expected is None:
        return
    owner = _owner_of(backend, bucket_name)
    if owner is not None and owner != expected:
        raise BucketAccessDeniedError(bucket=bucket_name)


def apply() -> None:
    from moto.s3.responses import S3Response

    moto_authorize = S3Response._authenticate_and_authorize_s3_action

    def _authenticate_and_authorize_s3_action(
        self: Any, bucket_name: str | None = None, key_name: str | None = None
    ) -> None:
        moto_authorize(self, bucket_name=bucket_name, key_name=key_name)
        _check(self.backend, bucket_name, self.headers.get(EXPECTED_OWNER_HEADER))
        copy_source = self.headers.get(COPY_SOURCE_HEADER)
        if copy_source:
            source_bucket = unquote(copy_source).lstrip("/").split("/", 1)[0]
            _check(self.backend, source_bucket, self.headers.get(EXPECTED_SOURCE_OWNER_HEADER))

    S3Response._authenticate_and_authorize_s3_action = _authenticate_and_authorize_s3_action
