"""The Django admin names our models and fields in the admin's language.

An admin signs in, picks Spanish or Ukrainian with the language switcher, and reads the admin index,
the users' and projects' change lists and their change forms. Every model and field name we show
there must be in that language: the names come from our models' ``verbose_name`` (marked for
translation) and our catalogues; Django's own words come from Django's catalogues.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin as django_admin
from django.utils import translation
from django.utils.text import capfirst

from tests.accounts.test_profile import client_for
from tests.i18n.conftest import visible_segments

# What the admin index, the change lists and the change forms must say in each language.
EXPECTED = {
    "es": {
        "/admin/": [
            "Cuentas", "Usuarios", "Proyectos", "Categorías", "Sitio", "Avisos",
            "Proyectos destacados", "Operaciones", "Tareas en segundo plano fallidas",
            "Entregas de webhook", "Noticias",
        ],
        "/admin/accounts/user/": [
            "Usuarios", "Nombre completo", "Dirección de correo electrónico", "Cuenta pro",
            "Tratamiento limitado", "Por modo privado", "Por correo confirmado", "Por idioma",
            "Conceder derechos de administración",
        ],
        "/admin/accounts/user/{volunteer}/change/": [
            "Perfil y privacidad", "Nombre completo:", "Idioma:", "Modo privado",
            "Tratamiento limitado",
            "RGPD: la persona pidió que limitemos el tratamiento de sus datos.",
        ],
        "/admin/projects/project/": [
            "Proyectos", "Nombre corto", "Nombre", "Propietario", "Categoría", "Publicado",
            "Destacado", "Creado", "Por voluntarios anónimos permitidos",
            "Destacar en la portada",
        ],
        "/admin/projects/project/{project}/change/": [
            "Nombre corto:", "Nombre:", "Descripción:", "Descripción larga:", "Propietario:",
            "Propietarios:", "Categoría:", "Información adicional:", "Descargas ZIP permitidas",
            "URL del webhook:", "Clave secreta:", "Contraseña (hash):", "Creado:",
            "Actualizado:", "La persona que creó el proyecto.",
        ],
    },
    "uk": {
        "/admin/": [
            "Облікові записи", "Користувачі", "Проєкти", "Категорії", "Сайт", "Оголошення",
            "Рекомендовані проєкти", "Операції", "Невдалі фонові задачі", "Доставки вебхуків",
            "Новини",
        ],
        "/admin/accounts/user/": [
            "Користувачі", "Повне ім'я", "Адреса електронної пошти", "Pro-доступ",
            "Обробку обмежено", "Надати права адміністратора",
        ],
        "/admin/accounts/user/{volunteer}/change/": [
            "Профіль і конфіденційність", "Повне ім'я:", "Мова:", "Приватний режим",
            "Обробку обмежено", "GDPR: людина попросила обмежити обробку її даних.",
        ],
        "/admin/projects/project/": [
            "Проєкти", "Коротка назва", "Назва", "Власник", "Категорія", "Опубліковано",
            "Рекомендований", "Створено", "Рекомендувати на головній сторінці",
        ],
        "/admin/projects/project/{project}/change/": [
            "Коротка назва:", "Назва:", "Опис:", "Докладний опис:", "Власник:", "Власники:",
            "Категорія:", "Додаткова інформація:", "Завантаження ZIP дозволено",
            "URL вебхука:", "Секретний ключ:", "Пароль (хеш):", "Створено:", "Оновлено:",
            "Людина, яка створила проєкт.",
        ],
    },
}  # fmt: skip


@pytest.fixture
def admin_in(admin):
    """An admin signed in through the sign-in page, then switched to ``code`` by the cookie."""

    def make(code: str):
        client = client_for(admin, "admin-pass-123")
        client.cookies["language"] = code
        return client

    return make


def english_model_names() -> set[str]:
    """Every registered model's name as the English admin shows it, e.g. "Users"."""
    names = set()
    with translation.override("en"):
        for model in django_admin.site._registry:
            names |= {
                str(capfirst(model._meta.verbose_name_plural)),
                str(capfirst(model._meta.verbose_name)),
            }
    return names


def page_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return "\n".join(sorted(visible_segments(response.content.decode())))


@pytest.mark.parametrize("code", list(EXPECTED))
def test_admin_pages_name_models_and_fields_in_the_chosen_language(
    admin_in, volunteer, project, code
):
    client = admin_in(code)
    for template, expected in EXPECTED[code].items():
        path = template.format(volunteer=volunteer.pk, project=project.pk)
        text = page_text(client, path)
        missing = [phrase for phrase in expected if phrase not in text]
        assert missing == [], (path, missing)


@pytest.mark.parametrize("code", list(EXPECTED))
def test_admin_pages_show_no_english_model_names(admin_in, volunteer, project, code):
    english = english_model_names()
    assert {"Users", "Projects", "Categories", "Announcements", "Failed jobs"} <= english
    client = admin_in(code)
    for template in EXPECTED[code]:
        path = template.format(volunteer=volunteer.pk, project=project.pk)
        text = page_text(client, path)
        shown = {name for name in english if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)}
        assert shown == set(), (path, shown)


@pytest.mark.parametrize("code", list(EXPECTED))
def test_every_admin_column_and_form_field_is_translated(admin_in, volunteer, project, code):
    """Each of our fields the admin shows has a label of its own in the chosen language."""
    client = admin_in(code)
    for template in list(EXPECTED[code])[1:]:  # the change lists and forms (the index has none)
        path = template.format(volunteer=volunteer.pk, project=project.pk)
        english = visible_segments(admin_in("en").get(path).content.decode())
        translated = visible_segments(client.get(path).content.decode())
        labels = {s for s in english if s.rstrip(":") in our_field_labels()}
        assert labels and labels & translated == set(), (path, labels & translated)


def our_field_labels() -> set[str]:
    """The English labels of every field of every model we register (not Django's own)."""
    labels = set()
    with translation.override("en"):
        for model in django_admin.site._registry:
            if not model.__module__.startswith("crowdfold."):
                continue
            for field in model._meta.get_fields():
                if hasattr(field, "verbose_name") and field.model.__module__.startswith(
                    "crowdfold"
                ):
                    labels.add(str(capfirst(field.verbose_name)))  # capfirst is lazy
    return labels - {"ID", "URL", "GUID"}  # the same in every language
