from django.conf import settings


def site(request) -> dict:
    return {"BRAND": settings.BRAND, "LOGIN_URL": settings.LOGIN_URL}
