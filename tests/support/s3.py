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
import urllib.parse
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


class SigV4Gateway:
    """A loopback gateway in front of moto that checks presigned URLs as S3 does.

    moto's server accepts a presigned URL without checking its signature's expiry; this gateway
    recomputes the SigV4 query signature (AWS4-HMAC-SHA256, ``UNSIGNED-PAYLOAD``) with the test
    credentials and refuses, with S3's answers, a URL whose signature does not match (a changed
    ``X-Amz-Expires`` included) or whose ``X-Amz-Date + X-Amz-Expires`` has passed; other requests
    are passed to moto. Send the request to :attr:`endpoint` with the URL's own ``Host`` header
    (:meth:`fetch`). ``skew`` moves the gateway's clock forward (seconds), so no test sleeps.
    """

    def __init__(self, upstream: str) -> None:
        import http.server
        import threading

        self.upstream = upstream
        self.skew = 0.0
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, headers, body = gateway.answer(self.path, self.headers.get("Host", ""))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fetch(self, url: str) -> tuple[int, bytes]:
        """GET a presigned ``url`` through the gateway (its Host header kept: it is signed)."""
        parsed = urllib.parse.urlsplit(url)
        request = urllib.request.Request(
            self.endpoint + parsed.path + "?" + parsed.query, headers={"Host": parsed.netloc}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def answer(self, target: str, host: str) -> tuple[int, dict[str, str], bytes]:
        path, _, raw_query = target.partition("?")
        params = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
        query = dict(params)
        if "X-Amz-Signature" in query:
            refused = self._refusal(path, params, query, host)
            if refused:
                code, message = refused
                body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
                return 403, {"Content-Type": "application/xml"}, body
        try:
            with urllib.request.urlopen(self.upstream + target, timeout=10) as response:
                return (
                    response.status,
                    {"Content-Type": response.headers.get("Content-Type", "")},
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            return error.code, {"Content-Type": error.headers.get("Content-Type", "")}, error.read()

    def _refusal(self, path: str, params, query: dict[str, str], host: str) -> tuple[str, str] | None:
        import calendar
        import hashlib
        import hmac

        try:
            amz_date, expires = query["X-Amz-Date"], int(query["X-Amz-Expires"])
            key_id, scope = query["X-Amz-Credential"].split("/", 1)
            day, region, service, _ = scope.split("/")
            signed = query["X-Amz-SignedHeaders"].split(";")
        except (KeyError, ValueError):
            return "AuthorizationQueryParametersError", "Malformed presigned URL"
        if key_id != CREDENTIALS["aws_access_key_id"]:
            return "InvalidAccessKeyId", "The access key does not exist"

        def enc(text: str) -> str:
            return urllib.parse.quote(text, safe="-_.~")

        canonical_query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params) if k != "X-Amz-Signature")
        headers = {"host": host}
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        canonical = "\n".join(
            ["GET", path, canonical_query, canonical_headers, ";".join(signed), "UNSIGNED-PAYLOAD"]
        )
        to_sign = "\n".join(
            ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
        )
        key = ("AWS4" + CREDENTIALS["aws_secret_access_key"]).encode()
        for part in (day, region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
            return "SignatureDoesNotMatch", "The request signature we calculated does not match"
        signed_at = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
        if time.time() + self.skew > signed_at + expires:
            return "AccessDenied", "Request has expired"
        return None
