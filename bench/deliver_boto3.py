"""Upload a delivery's archives with boto3, as a script a user would run: the whole process is measured.

Usage: python3 deliver_boto3.py ENDPOINT BUCKET CONCURRENCY KEY PART_SIZE FILE [KEY PART_SIZE FILE ...]
Uploads each FILE to KEY in turn with upload_fileobj (parts of PART_SIZE, CONCURRENCY threads,
CRC32 with the FULL_OBJECT type), the same requests ion-dest deliver makes for its archives.
Nothing is timed here: bench/deliver-process.ts runs this script under run_measured.py, so
Python's start-up and boto3's imports count, as ion-dest's start-up does on the other side.
"""
import sys

from upload_boto3 import make_client, upload_file


def main() -> None:
    endpoint, bucket, concurrency = sys.argv[1:4]
    uploads = sys.argv[4:]
    if not uploads or len(uploads) % 3:
        sys.exit("usage: deliver_boto3.py ENDPOINT BUCKET CONCURRENCY KEY PART_SIZE FILE [KEY PART_SIZE FILE ...]")
    client = make_client(endpoint, int(concurrency))
    for i in range(0, len(uploads), 3):
        key, part_size, path = uploads[i : i + 3]
        upload_file(client, bucket, key, path, int(part_size), int(concurrency))


if __name__ == "__main__":
    main()
