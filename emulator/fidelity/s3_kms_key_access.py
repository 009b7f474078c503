"""Require the caller's permission on the KMS key of an SSE-KMS object.

moto writes and reads SSE-KMS objects without asking whether the caller may use
the key. AWS: uploading an object encrypted with a KMS key (PutObject,
CreateMultipartUpload, UploadPart) needs ``kms:GenerateDataKey`` on the key, and
reading it (GetObject) needs ``kms:Decrypt``; without them S3 answers 403
AccessDenied naming the KMS action. This patch evaluates the caller's IAM
policies for that action on the key's ARN (the key named in the request, else
the bucket's default encryption key; for a read, the object's key). Key policies
are not evaluated: a key's default policy delegates to the account's IAM policies.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
"""
from __future__ import annotations

from typing import Any

KMS_KEY_HEADER = "x-amz-server-side-encryption-aws-kms-key-id"


def _key_arn(key_id: str | None, region: str, account_id: str) -> str | None:
    if not key_id:
        return None
    if key_id.startswith("arn:"):
        return key_id
    return f"arn:aws:kms:{region}:{account_id}:key/{key_id}"


def _default_key(bucket: Any) -> str | None:
    rule = (getattr(bucket, "encryption", None) or {}).get("Rule") or {}
    if isinstance(rule, list):
        rule = rule[0] if rule else {}
    default = rule.get("ApplyServerSideEncryptionByDefault") or {}
    return default.get("KMSMasterKeyID") if default.get("SSEAlgorithm") == "aws:kms" else None


def _enforcing() -> bool:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    return ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT


def apply() -> None:
    from moto.iam.access_control import S3IAMRequest
    from moto.s3.exceptions import MissingBucket, S3AccessDeniedError, S3ClientError
    from moto.s3.responses import S3Response

    class KmsAccessDenied(S3ClientError):
        def __init__(self, message: str) -> None:
            super().__init__("AccessDenied", message)

    moto_authorize = S3Response._authenticate_and_authorize_s3_action

    def _required_kms(self: Any, bucket_name: str, key_name: str) -> tuple[str, str | None] | None:
        action = self._get_action()
        try:
            bucket = self.backend.get_bucket(bucket_name)
        except MissingBucket:
            return None
        if action == "PutObject" and self.method in ("PUT", "POST"):
            key_id = self.headers.get(KMS_KEY_HEADER) or _default_key(bucket)
            return "kms:GenerateDataKey", _key_arn(key_id, bucket.region_name, bucket.account_id)
        if action == "GetObject" and self.method == "GET":
            stored = bucket.keys.get(key_name)
            key_id = getattr(stored, "kms_key_id", None) if stored is not None else None
            return "kms:Decrypt", _key_arn(key_id, bucket.region_name, bucket.account_id)
        return None

    def _authenticate_and_authorize_s3_action(
        self: Any, bucket_name: str | None = None, key_name: str | None = None
    ) -> None:
        moto_authorize(self, bucket_name=bucket_name, key_name=key_name)
        if not bucket_name or not key_name or not _enforcing():
            return
        required = _required_kms(self, bucket_name, key_name)
        if required is None or required[1] is None:
            return
        kms_action, key_arn = required
        request = S3IAMRequest(
            account_id=self.current_account,
            method=self.method,
            path="/",
            data=self.data,
            body=self.raw_body,
            headers=self.headers,
            action="GetObject",
        )
        request._action = kms_action
        try:
            request.check_action_permitted(key_arn)
        except S3AccessDeniedError:
            raise KmsAccessDenied(
                f"User: {request._access_key.arn} is not authorized to perform: {kms_action} on resource: {key_arn}"
            ) from None

    S3Response._authenticate_and_authorize_s3_action = _authenticate_and_authorize_s3_action
