"""The demo: an admin and a published image-classification project, created once.

``ensure_demo`` is idempotent: the first run creates everything, later runs find it and only report
the admin's credentials again. The admin's password is generated on the first run and kept in a
file beside the database (``var/demo-admin.json``, readable by its owner only), because we store
only its hash.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from crowdfold.accounts.models import User
from crowdfold.accounts.services import create_user
from crowdfold.demo.pictures import all_pictures
from crowdfold.projects.models import Project
from crowdfold.projects.services import create_project, publish_project
from crowdfold.tasks.models import Task

DEMO_ADMIN = "demo-admin"
DEMO_ADMIN_EMAIL = "demo-admin@example.org"
DEMO_PROJECT = "demo"
DEMO_N_ANSWERS = 3
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "demo"


@dataclass(frozen=True)
class Demo:
    admin: User
    password: str
    project: Project
    created: bool  # True when this call created the project

    @property
    def api_key(self) -> str:
        return self.admin.api_key


def credentials_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-admin.json"


def _read_password(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("password") if isinstance(data, dict) else None


def _write_password(path: Path, username: str, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"login": username, "password": password}, handle)


def ensure_demo_admin(path: Path | None = None) -> tuple[User, str]:
    """The demo admin and its password: created on the first call; later calls read the password
    back, or set a new one if its file was lost (the demo admin is flagged ``info.demo``)."""
    path = path or credentials_path()
    admin = User.objects.filter(username=DEMO_ADMIN).first()
    if admin is not None and not (admin.info or {}).get("demo"):
        raise ValueError(f"A user named {DEMO_ADMIN!r} exists that the demo did not create")
    password = _read_password(path)
    if admin is None:
        password = password or secrets.token_urlsafe(12)
        admin = create_user(
            DEMO_ADMIN, DEMO_ADMIN_EMAIL, password, admin=True, fullname="Demo admin"
        )
        admin.info = {"demo": True}
        admin.save(update_fields=["info"])
    elif password is None or not admin.check_password(password):
        password = secrets.token_urlsafe(12)
        admin.set_password(password)
        admin.save(update_fields=["password"])
    _write_password(path, admin.username, password)
    return admin, password


def _demo_tasks(project: Project) -> list[Task]:
    static = settings.STATIC_URL.rstrip("/")
    return [
        Task(
            project=project,
            n_answers=DEMO_N_ANSWERS,
            info={"url_b": f"{static}/{p.static_path}", "link": f"{static}/{p.static_path}"},
        )
        for p in all_pictures()
    ]


@transaction.atomic
def create_demo_project(owner: User) -> Project:
    """The published "demo" project: about fifty pictures, each to be classified by three people."""
    project = create_project(
        owner,
        name="Spot the cat",
        short_name=DEMO_PROJECT,
        description="Is there a cat in the picture? A demo of Crowdfold's volunteer page.",
        long_description=(
            "This demo project shows pictures of animals and asks one question: **is there a cat?**\n\n"
            "Each picture is shown to three volunteers. When all three have answered, the task is "
            "complete and its result holds their answers. Sign in to get credit for your answers, "
            "or contribute anonymously."
        ),
        info={
            "task_presenter": (TEMPLATES_DIR / "presenter.html").read_text(encoding="utf-8"),
            "tutorial": (TEMPLATES_DIR / "tutorial.html").read_text(encoding="utf-8"),
            "sched": "default",
        },
        allow_anonymous_contributors=True,
    )
    Task.objects.bulk_create(_demo_tasks(project))
    publish_project(project)
    return project


def ensure_demo(path: Path | None = None) -> Demo:
    """Create the demo admin and the demo project unless they exist; return them."""
    admin, password = ensure_demo_admin(path)
    project = Project.objects.filter(short_name=DEMO_PROJECT).first()
    created = project is None
    if created:
        project = create_demo_project(admin)
    return Demo(admin=admin, password=password, project=project, created=created)
