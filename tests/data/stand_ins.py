"""Local stand-ins for remote services, on 127.0.0.1 and a free port: static files, an S3 bucket
that answers ListObjectsV2 with the real XML (paged), and whatever else a test routes."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def s3_listing(keys: list[str], prefix: str, token: str | None, page: int) -> bytes:
    matching = [k for k in sorted(keys) if k.startswith(prefix)]
    start = int(token or 0)
    chunk = matching[start : start + page]
    more = start + page < len(matching)
    contents = "".join(
        f"<Contents><Key>{escape(k)}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
        f"<ETag>&quot;x&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>"
        for k in chunk
    )
    tail = f"<NextContinuationToken>{start + page}</NextContinuationToken>" if more else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="{S3_NS}"><Name>bucket</Name>'
        f"<Prefix>{escape(prefix)}</Prefix><KeyCount>{len(chunk)}</KeyCount><MaxKeys>{page}</MaxKeys>"
        f"<IsTruncated>{'true' if more else 'false'}</IsTruncated>{contents}{tail}</ListBucketResult>"
    ).encode()


class StandIn:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.buckets: dict[str, list[str]] = {}
        self.page = 2
        self.requests: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                stand_in.requests.append(self.path)
                status, headers, body = stand_in.answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, raw_path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query)
        bucket = parts.path.strip("/")
        if bucket in self.buckets and query.get("list-type") == ["2"]:
            body = s3_listing(
                self.buckets[bucket],
                query.get("prefix", [""])[0],
                query.get("continuation-token", [None])[0],
                self.page,
            )
            return 200, {"Content-Type": "application/xml"}, body
        if raw_path in self.routes:
            return self.routes[raw_path]
        if parts.path in self.routes:
            return self.routes[parts.path]
        return 404, {}, b"not found"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
