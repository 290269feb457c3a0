"""An S3-compatible server on loopback for the media tests: moto's standalone server, a subprocess.

The store talks to it through django-storages exactly as to S3 (``AWS_S3_ENDPOINT_URL``); the
tests read the bucket back with boto3 to check what is stored, private and deleted.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

BUCKET = "shop-media-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@dataclass
class S3Server:
    process: subprocess.Popen
    endpoint: str

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, **CREDENTIALS)

    def object_keys(self, bucket: str = BUCKET) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_s3_server(timeout: float = 30.0) -> S3Server:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(endpoint + "/", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("moto's server exited at start") from None
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("moto's server did not start")
    return S3Server(process=process, endpoint=endpoint)


def s3_storages(settings_storages: dict, endpoint: str, *, expire: int = 60) -> dict:
    """``STORAGES`` with the default storage on the loopback S3, configured as the settings do."""
    return {
        **settings_storages,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": CREDENTIALS["region_name"],
                "endpoint_url": endpoint,
                "location": "",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": expire,
                "signature_version": "s3v4",
                "file_overwrite": False,
                "object_parameters": {"ContentDisposition": "inline"},
            },
        },
    }
