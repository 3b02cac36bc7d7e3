"""``crowdfold check``: is this configuration fit for production?

Reports what it makes of an operator's PYBOSSA settings file (every key it does not understand, the
ones it ignores and why, statements it could not read) and every unsafe production setting. Exit
status 1 when anything is unsafe or broken, 0 otherwise (warnings alone do not fail).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click

UNSAFE, ERROR, WARNING, INFO = "unsafe", "error", "warning", "info"

# Secrets published in PYBOSSA's settings template and our own development default.
KNOWN_SECRETS = {
    "my-session-secret",
    "its-dangerous-key",
    "foobar",
    "secret",
    "changeme",
    "change-me",
}


@dataclass(frozen=True)
class Finding:
    level: str
    message: str


def pybossa_file_findings(path: str) -> list[Finding]:
    """What the operator's settings_local.py contributes, key by key."""
    from crowdfold.lib.pybossa_knobs import PLANNED, REPLACED, UNSUPPORTED
    from crowdfold.lib.pybossa_settings import load

    if not path:
        return []
    found = load(path)
    findings = [Finding(WARNING, f"{path}:{line}: {what}") for line, what in found.unreadable]
    for key in found.values:
        knob = found.known().get(key)
        if knob is None:
            findings.append(
                Finding(WARNING, f"{key}: not a setting Crowdfold understands; ignored")
            )
        elif knob.status == UNSUPPORTED:
            findings.append(Finding(WARNING, f"{key}: not supported, ignored ({knob.note})"))
        elif knob.status == PLANNED:
            findings.append(Finding(INFO, f"{key}: not used yet ({knob.note})"))
        elif not knob.env and knob.status == REPLACED:
            findings.append(
                Finding(WARNING, f"{key}: ignored, replaced by {knob.setting} ({knob.note})")
            )
        elif not knob.env:
            findings.append(Finding(INFO, f"{key}: {knob.note}"))
        elif knob.convert and knob.convert(found.values[key]) is None:
            findings.append(
                Finding(
                    WARNING, f"{key}={found.values[key]!r}: not supported, ignored ({knob.note})"
                )
            )
        elif knob.env in os.environ:
            findings.append(
                Finding(INFO, f"{key}: overridden by the environment variable {knob.env}")
            )
        elif knob.env:
            findings.append(Finding(INFO, f"{key}: applied as {knob.env}"))
    applied = sum(1 for f in findings if "applied as" in f.message)
    findings.insert(
        0, Finding(INFO, f"read {path}: {len(found.values)} settings, {applied} applied")
    )
    return findings


def secret_findings(settings) -> list[Finding]:
    findings = []
    if (
        settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY
        or settings.SECRET_KEY in KNOWN_SECRETS
    ):
        findings.append(
            Finding(
                UNSAFE,
                "SECRET_KEY is a published default: anyone can forge sessions and "
                "reset links. Set CROWDFOLD_SECRET_KEY to a long random string",
            )
        )
    elif len(settings.SECRET_KEY) < 32:
        findings.append(Finding(WARNING, "SECRET_KEY is shorter than 32 characters"))
    itsdangerous = os.environ.get("ITSDANGEROUSKEY") or _file_value(settings, "ITSDANGEROUSKEY")
    if itsdangerous and itsdangerous != settings.SECRET_KEY:
        findings.append(Finding(INFO, "ITSDANGEROUSKEY is not used: SECRET_KEY signs everything"))
    key = settings.CRYPTOPAN_KEY
    if key == settings.CRYPTOPAN_DEFAULT_KEY:
        findings.append(
            Finding(
                UNSAFE,
                "CRYPTOPAN_KEY is PYBOSSA's published default: anonymised IPs can be "
                "reversed. Set CRYPTOPAN_KEY to 32 random characters",
            )
        )
    elif len(key.encode("utf-8")) != 32:
        findings.append(
            Finding(WARNING, "CRYPTOPAN_KEY should be exactly 32 bytes (it is padded or cut)")
        )
    return findings


def _file_value(settings, key: str) -> object:
    from crowdfold.lib.pybossa_settings import load

    return load(settings.PYBOSSA_SETTINGS_FILE).values.get(key)


def server_findings(settings) -> list[Finding]:
    findings: list[Finding] = []
    if settings.DEBUG:
        findings.append(
            Finding(
                UNSAFE, "DEBUG is on: error pages show code and settings. Unset CROWDFOLD_DEBUG"
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        findings.append(
            Finding(
                UNSAFE,
                "ALLOWED_HOSTS accepts any host name (links in mails can be "
                "poisoned). Set CROWDFOLD_ALLOWED_HOSTS=your.domain",
            )
        )
    if not settings.HTTPS:
        findings.append(
            Finding(
                WARNING,
                "not marked as served over HTTPS: behind a TLS proxy set "
                "CROWDFOLD_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (Secure "
                "cookies, HSTS)",
            )
        )
    findings += exposure_findings(settings)
    if settings.ENABLE_DEBUG_TOOLBAR:
        findings.append(
            Finding(WARNING, "ENABLE_DEBUG_TOOLBAR is on (admins only, but every page pays)")
        )
    if settings.PROFILER:
        findings.append(Finding(WARNING, "CROWDFOLD_PROFILER is on (admins only)"))
    if settings.SENTRY_DSN and not settings.SENTRY_ACTIVE:
        findings.append(
            Finding(
                ERROR,
                "SENTRY_DSN is set but sentry-sdk is missing: pip install 'crowdfold[sentry]'",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        findings.append(
            Finding(
                WARNING, "mail is printed to the console, not sent (configure the mail settings)"
            )
        )
    if settings.LOG_FILE not in ("", "-") and not os.access(
        Path(settings.LOG_FILE).parent, os.W_OK
    ):
        findings.append(
            Finding(ERROR, f"CROWDFOLD_LOG_FILE={settings.LOG_FILE}: directory not writable")
        )
    return findings


def exposure_findings(settings) -> list[Finding]:
    """Settings that open the server to its users or to the network behind it."""
    findings = []
    if settings.CROWDFOLD_ALLOW_PRIVATE_URLS:
        findings.append(
            Finding(
                UNSAFE,
                "CROWDFOLD_ALLOW_PRIVATE_URLS is on: any owner can make webhooks and importers "
                "reach private addresses (your network, cloud metadata). Name the hosts in "
                "CROWDFOLD_PRIVATE_URL_ALLOWLIST instead",
            )
        )
    if any(_matches_everyone(net) for net in settings.TRUSTED_PROXIES):
        findings.append(
            Finding(
                UNSAFE,
                "CROWDFOLD_TRUSTED_PROXIES trusts every address: anyone can forge X-Forwarded-For "
                "(anonymous identities, rate limits). List only your proxies",
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXIES:
        findings.append(
            Finding(
                WARNING,
                "the TLS proxy's header is believed from any client: make sure the server is "
                "reachable only through the proxy, or set CROWDFOLD_TRUSTED_PROXIES",
            )
        )
    for pattern, options in (settings.CORS_RESOURCES or {}).items():
        if options.get("supports_credentials") and options.get("origins", "*") in ("*", ["*"]):
            findings.append(
                Finding(
                    UNSAFE,
                    f"CORS_RESOURCES {pattern}: any web site may call it with the visitor's "
                    "session (credentials with origins *). Name the allowed origins",
                )
            )
    if not settings.RATE_LIMIT_ENABLED:
        findings.append(Finding(WARNING, "the API rate limit is off (CROWDFOLD_RATE_LIMIT)"))
    if not settings.API_ENFORCES_PROJECT_PASSWORD:
        findings.append(
            Finding(
                WARNING,
                "project passwords are not enforced on the API "
                "(CROWDFOLD_API_ENFORCES_PROJECT_PASSWORD)",
            )
        )
    return findings


def _matches_everyone(network: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_network(network, strict=False).prefixlen == 0
    except ValueError:
        return False


def django_findings() -> list[Finding]:
    """Django's own system checks, the database connection and unapplied migrations."""
    from django.core import checks
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    findings = [
        Finding(ERROR if message.is_serious() else WARNING, str(message))
        for message in checks.run_checks()
        if not message.is_silenced()
    ]
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - any failure means the database is not usable
        return [*findings, Finding(ERROR, f"database unreachable: {exc}".strip())]
    if pending:
        findings.append(
            Finding(
                WARNING,
                f"{len(pending)} migrations not applied: run `crowdfold migrate` "
                "(`crowdfold serve` applies them too)",
            )
        )
    return findings


def all_findings() -> list[Finding]:
    from django.conf import settings

    return [
        *pybossa_file_findings(settings.PYBOSSA_SETTINGS_FILE),
        *server_findings(settings),
        *secret_findings(settings),
        *django_findings(),
    ]


@click.command()
@click.option("-v", "--verbose", is_flag=True, help="also list what was applied and other details")
def check(verbose: bool) -> None:
    """Review the configuration for production: unknown PYBOSSA keys, unsafe settings, database.

    Exits 1 when a setting is unsafe or broken."""
    findings = all_findings()
    for finding in findings:
        if finding.level != INFO or verbose:
            click.echo(f"{finding.level.upper():8} {finding.message}")
    counts = {
        level: sum(1 for f in findings if f.level == level) for level in (UNSAFE, ERROR, WARNING)
    }
    plural = {UNSAFE: "unsafe", ERROR: "errors", WARNING: "warnings"}
    click.echo(", ".join(f"{n} {plural[level]}" for level, n in counts.items()))
    if counts[UNSAFE] or counts[ERROR]:
        raise SystemExit(1)


def register(group: click.Group) -> None:
    group.add_command(check)
