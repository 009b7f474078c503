"""Check signatures against the URL in SigV4's canonical encoding.

With IAM enforcement on, moto recomputes each request's signature from the URL
as its web server hands it over, partly decoded: ListObjectsV2 or
ListMultipartUploads with ``Prefix=tenant/``, or an object key with ``+``, ``%``
or non-ASCII characters, then fails with SignatureDoesNotMatch. AWS builds the
canonical request by URI-encoding each path segment and every query parameter
name and value, leaving only the unreserved characters ``A-Z a-z 0-9 - _ . ~``
(and the path's ``/``) as they are, which is how the SDKs sign.

https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

# SigV4 leaves only RFC 3986 unreserved characters unencoded.
UNRESERVED = "-_.~"


def canonical_path(path: str) -> str:
    return "/".join(quote(unquote(segment), safe=UNRESERVED) for segment in path.split("/"))


def canonical_query(query: str) -> str:
    def pair(text: str) -> str:
        key, equals, value = text.partition("=")
        return quote(unquote(key), safe=UNRESERVED) + equals + quote(unquote(value), safe=UNRESERVED)

    return "&".join(pair(p) for p in query.split("&"))


def apply() -> None:
    from moto.iam.access_control import IAMRequestBase

    moto_create_aws_request = IAMRequestBase._create_aws_request

    def _create_aws_request(self: Any) -> Any:
        request = moto_create_aws_request(self)
        path, has_query, query = request.url.partition("?")
        request.url = canonical_path(path) + (("?" + canonical_query(query)) if has_query else "")
        return request

    IAMRequestBase._create_aws_request = _create_aws_request
