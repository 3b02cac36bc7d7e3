"""A throwaway OpenLDAP ``slapd`` on a loopback port, with a temporary config and a few people.

Installs Debian's ``slapd`` when it is missing and we are root (the CI machine); otherwise the LDAP
tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

BASE_DN = "dc=example,dc=org"
ADMIN_DN = f"cn=admin,{BASE_DN}"
ADMIN_PASSWORD = "directory-admin-secret"
PEOPLE_DN = f"ou=people,{BASE_DN}"
SLAPD = "/usr/sbin/slapd"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{admin}"
rootpw {password}
directory {dir}/data
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"LDAP tests need slapd: {reason}")
    pytest.skip(f"LDAP tests need slapd: {reason}")


def ensure_slapd() -> None:
    if Path(SLAPD).exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        _unavailable("slapd is not installed and apt-get is not usable here")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=300)
    done = subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "slapd"],
        env=env, capture_output=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0 or not Path(SLAPD).exists():
        _unavailable(f"apt-get install slapd failed: {done.stderr.decode()[-500:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Slapd:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        (self.workdir / "data").mkdir(parents=True)
        conf = self.workdir / "slapd.conf"
        conf.write_text(
            CONFIG.format(dir=self.workdir, base=BASE_DN, admin=ADMIN_DN, password=ADMIN_PASSWORD)
        )
        # -d 0 keeps slapd in the foreground so we own the process and can stop it by its id.
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(conf), "-h", f"{self.url}/", "-d", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {self.process.stderr.read().decode()[-1000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def seed(self, people: list[dict]) -> None:
        import ldap3

        with ldap3.Connection(
            self.url, user=ADMIN_DN, password=ADMIN_PASSWORD, auto_bind=True
        ) as conn:
            conn.add(BASE_DN, ["dcObject", "organization"], {"o": "Example", "dc": "example"})
            conn.add(PEOPLE_DN, ["organizationalUnit"], {"ou": "people"})
            for person in people:
                ou = person.get("ou", "people")
                parent = PEOPLE_DN if ou == "people" else f"ou={ou},{PEOPLE_DN}"
                if ou != "people":
                    conn.add(parent, ["organizationalUnit"], {"ou": ou})
                ok = conn.add(
                    f"uid={person['uid']},{parent}",
                    ["inetOrgPerson"],
                    {
                        "uid": person["uid"],
                        "cn": person["cn"],
                        "sn": person["cn"].split()[-1],
                        "mail": person["mail"],
                        "userPassword": person["password"],
                    },
                )
                assert ok, conn.result
