"""A CKAN stand-in on 127.0.0.1 and a free port: the action API calls a push makes
(``package_show``, ``package_create``, ``resource_create``, ``resource_update``) with CKAN's JSON
envelope, its error types, API keys in the Authorization header and multipart uploads."""

from __future__ import annotations

import json
import threading
import uuid
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PREFIX = "/api/3/action/"


class CkanStandIn:
    def __init__(self, keys: set[str]) -> None:
        self.keys = keys
        self.packages: dict[str, dict] = {}  # name -> package (resources without their data)
        self.files: dict[str, bytes] = {}  # resource id -> uploaded bytes
        self.calls: list[tuple[str, str | None]] = []  # (action, Authorization header)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._answer(b"")

            def do_POST(self):
                self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _answer(self, body: bytes):
                status, envelope = stand_in.handle(
                    self.command, self.path, dict(self.headers), body
                )
                data = json.dumps(envelope).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the action API ---------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        parts = urlsplit(path)
        action = parts.path.removeprefix(PREFIX)
        key = headers.get("Authorization")
        self.calls.append((action, key))
        if key not in self.keys:
            return 403, _error("Authorization Error", "Access denied: invalid API key")
        if action == "package_show" and method == "GET":
            name = parse_qs(parts.query).get("id", [""])[0]
            package = self.packages.get(name)
            if package is None:
                return 404, _error("Not Found Error", "Not found")
            return 200, {"success": True, "result": package}
        if method != "POST":
            return 400, _error("Bad request", f"{action} needs POST")
        if action == "package_create":
            return self._package_create(json.loads(body))
        if action in ("resource_create", "resource_update"):
            fields, upload = _multipart(headers.get("Content-Type", ""), body)
            return self._resource(action, fields, upload)
        return 400, _error("Bad request", f"unknown action {action}")

    def _package_create(self, data: dict) -> tuple[int, dict]:
        name = data.get("name", "")
        if name in self.packages:
            return 409, _error("Validation Error", name=["That URL is already in use."])
        package = {**data, "id": str(uuid.uuid4()), "resources": []}
        self.packages[name] = package
        return 200, {"success": True, "result": package}

    def _resource(self, action: str, fields: dict, upload: bytes | None) -> tuple[int, dict]:
        if upload is None:
            return 409, _error("Validation Error", upload=["Missing file"])
        if action == "resource_create":
            package = next(
                (p for p in self.packages.values() if p["id"] == fields.get("package_id")), None
            )
            if package is None:
                return 404, _error("Not Found Error", "Package not found")
            resource = {**fields, "id": str(uuid.uuid4())}
            package["resources"].append(resource)
        else:
            resource = next(
                (
                    r
                    for p in self.packages.values()
                    for r in p["resources"]
                    if r["id"] == fields.get("id")
                ),
                None,
            )
            if resource is None:
                return 404, _error("Not Found Error", "Resource not found")
            resource.update(fields)
        resource["url"] = f"{self.url}/download/{resource['id']}/{resource['name']}.csv"
        self.files[resource["id"]] = upload
        return 200, {"success": True, "result": resource}

    def resource_data(self, package: str, name: str) -> bytes:
        resource = next(r for r in self.packages[package]["resources"] if r["name"] == name)
        return self.files[resource["id"]]


def _error(kind: str, message: str | None = None, **fields) -> dict:
    error = {"__type": kind, **fields}
    if message:
        error["message"] = message
    return {"success": False, "error": error}


def _multipart(content_type: str, body: bytes) -> tuple[dict, bytes | None]:
    message = BytesParser(policy=policy.default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    upload = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if name == "upload":
            upload = payload
        else:
            fields[name] = payload.decode()
    return fields, upload
