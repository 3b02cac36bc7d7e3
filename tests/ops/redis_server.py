"""A private ``redis-server`` on a free loopback port, for tests that stop Redis mid-test."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time

import redis

from tests.ops.conftest import free_port, require_service


class RedisServer:
    def __init__(self, port: int | None = None):
        binary = shutil.which("redis-server")
        require_service(
            "redis-server", None if binary else "the redis-server binary is not installed"
        )
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="cf-redis-")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        client = redis.Redis.from_url(self.url, socket_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisSentinel:
    """A Sentinel on a free loopback port watching ``master`` under the name ``service``."""

    def __init__(self, master: RedisServer, service: str = "mymaster"):
        binary = shutil.which("redis-server")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="cf-sentinel-")
        config = f"{self.dir}/sentinel.conf"
        with open(config, "w") as fh:
            fh.write(
                f"port {self.port}\nbind 127.0.0.1\ndir {self.dir}\n"
                f"sentinel monitor {service} 127.0.0.1 {master.port} 1\n"
            )
        self.proc = subprocess.Popen(
            [binary, config, "--sentinel"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, socket_timeout=0.5)
        for _ in range(100):
            try:
                if client.sentinel_get_master_addr_by_name(service):
                    return
            except redis.exceptions.RedisError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis sentinel did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)
