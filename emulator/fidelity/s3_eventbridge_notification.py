"""Report a bucket's EventBridge destination in GetBucketNotificationConfiguration.

moto stores ``EventBridgeConfiguration`` from PutBucketNotificationConfiguration
(and sends events to EventBridge) but leaves it out of
GetBucketNotificationConfiguration, so a bucket with EventBridge on reads back
as having no notifications. AWS returns an empty ``<EventBridgeConfiguration/>``
element when the bucket sends its events to EventBridge.

https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
"""
from __future__ import annotations

import re
from typing import Any

# The response's root element, empty (self-closing) or with moto's other destinations in it.
ROOT_ELEMENT = re.compile(r"<NotificationConfiguration([^>]*?)(?:/>|>(.*)</NotificationConfiguration>)", re.DOTALL)


def apply() -> None:
    from moto.s3.responses import S3Response

    moto_get = S3Response.get_bucket_notification

    def get_bucket_notification(self: Any) -> Any:
        response = moto_get(self)
        config = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if config is None or config.event_bridge is None:
            return response
        status, headers, body = response
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        match = ROOT_ELEMENT.search(text)
        if match is None:
            raise AssertionError(f"unexpected GetBucketNotificationConfiguration body from moto: {text[:200]}")
        root = f"<NotificationConfiguration{match.group(1)}>{match.group(2) or ''}<EventBridgeConfiguration/></NotificationConfiguration>"
        return status, headers, text[: match.start()] + root + text[match.end() :]

    S3Response.get_bucket_notification = get_bucket_notification
