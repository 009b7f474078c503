"""Reject requests signed with an expired session; optionally issue short sessions.

moto records each AssumeRole session's Expiration but never enforces it. AWS
rejects a request signed with expired temporary credentials: S3 with HTTP 400
``ExpiredToken`` ("The provided token has expired."), STS and IAM with HTTP 403
``ExpiredToken`` ("The security token included in the request is expired").
The check runs on every request, whether or not IAM enforcement is on.

Test device: ``ION_DEST_EMULATOR_MAX_SESSION_SECONDS=N`` (a positive integer)
caps the lifetime of every session AssumeRole issues at N seconds, and the
response's Expiration is that true, capped expiry. AWS never issues a session
shorter than 900 seconds; the cap exists only so a test can outlive several
sessions in seconds.

https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
"""
from __future__ import annotations

import os
from typing import Any

MAX_SESSION_SECONDS_ENV = "ION_DEST_EMULATOR_MAX_SESSION_SECONDS"


def max_session_seconds() -> int | None:
    raw = os.environ.get(MAX_SESSION_SECONDS_ENV)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise SystemExit(f"{MAX_SESSION_SECONDS_ENV}={raw!r}: expected a positive whole number of seconds")
    return int(raw)


def _expired_error(s3: bool) -> Exception:
    if s3:
        from moto.s3.exceptions import S3ClientError

        return S3ClientError("ExpiredToken", "The provided token has expired.")
    # moto raises its own authentication errors (InvalidClientTokenId, AccessDenied) as this type.
    from moto.core.exceptions import _RESTError

    error = _RESTError("ExpiredToken", "The security token included in the request is expired")
    error.code = 403
    return error


def apply() -> None:
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.utils import utcnow
    from moto.iam.access_control import S3IAMRequest
    from moto.sts.models import STSBackend, sts_backends
    from moto.utilities.utils import get_partition

    cap = max_session_seconds()
    moto_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_action
    moto_assume_role = STSBackend.assume_role

    def _authenticate_and_authorize_action(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        session = sts_backends[self.current_account][get_partition(self.region)].get_assumed_role_from_access_key(
            self.get_access_key()
        )
        if session is not None and session.expiration <= utcnow():
            raise _expired_error(issubclass(iam_request_cls, S3IAMRequest))
        moto_authorize(self, iam_request_cls, resource)

    def assume_role(self: Any, *args: Any, **kwargs: Any) -> Any:
        if cap is not None and kwargs.get("duration", 0) > cap:
            kwargs["duration"] = cap
        return moto_assume_role(self, *args, **kwargs)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_and_authorize_action
    STSBackend.assume_role = assume_role
