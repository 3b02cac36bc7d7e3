"""PYBOSSA's generic REST resources. Adding one: subclass ``base.Resource`` in a module here (columns,
payload keys, permission checks, projection, service calls) and list it in ``RESOURCES``."""

from __future__ import annotations

from crowdfold.api.resources import category, helpingmaterial, project, result, task, taskrun, user

RESOURCES = [
    project.resource,
    category.resource,
    task.resource,
    taskrun.resource,
    result.resource,
    user.resource,
    helpingmaterial.resource,
]
