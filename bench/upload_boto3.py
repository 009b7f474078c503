"""Upload one file with boto3's managed transfer (upload_fileobj), for the delivery benchmark.

Usage: python3 upload_boto3.py ENDPOINT BUCKET KEY FILE PART_SIZE CONCURRENCY
Prints {"seconds": S, "bytes": N, "cpuSeconds": C} on stdout (C: this process's CPU
time during the upload, all threads). Same part size, concurrency, endpoint,
checksum algorithm (CRC32) and checksum type (FULL_OBJECT, which makes the emulator's
CompleteMultipartUpload compute the whole object's CRC32) as the Node side, so the two
numbers compare the clients. Both sides build their client and send one HeadBucket
before their clock starts.
"""
import json
import os
import resource
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config


def main() -> None:
    endpoint, bucket, key, path, part_size, concurrency = sys.argv[1:7]
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=int(concurrency) + 2),
    )
    config = TransferConfig(
        multipart_threshold=int(part_size),
        multipart_chunksize=int(part_size),
        max_concurrency=int(concurrency),
        use_threads=True,
    )
    # As on the Node side (bench-stage.ts): one HeadBucket before the clock starts.
    client.head_bucket(Bucket=bucket)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with open(path, "rb") as f:
        client.upload_fileobj(f, bucket, key, ExtraArgs={"ChecksumAlgorithm": "CRC32", "ChecksumType": "FULL_OBJECT"}, Config=config)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"seconds": seconds, "bytes": os.path.getsize(path), "cpuSeconds": cpu}))


if __name__ == "__main__":
    main()
