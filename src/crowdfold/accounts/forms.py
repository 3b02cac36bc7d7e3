"""Forms people fill in about themselves: the extra sign-up fields and the profile."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from PIL import Image, UnidentifiedImageError

from crowdfold.accounts.models import User

# django.contrib.auth's Ukrainian catalogue "translates" these as English and, installed before
# allauth, wins over allauth's translation; listing them here puts them in our catalogue, which wins
# over both.
ALLAUTH_STRINGS_OVERRIDDEN = [gettext_noop("Email")]

AVATAR_SIZE = 256
AVATAR_MAX_BYTES = 5 * 1024 * 1024


class SignupExtraForm(forms.Form):
    """Fields PYBOSSA asks for at sign-up beyond name, e-mail and password (allauth adds those)."""

    fullname = forms.CharField(label=_("Full name"), max_length=255)
    consent = forms.BooleanField(
        label=_(
            "I agree to the terms of use and the privacy policy, and to receive e-mails about my account."
        ),
        required=True,
    )

    def signup(self, request, user: User) -> None:
        user.fullname = self.cleaned_data["fullname"]
        user.consent = self.cleaned_data["consent"]
        user.locale = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        user.save(update_fields=["fullname", "consent", "locale"])


class ProfileForm(forms.ModelForm):
    locale = forms.ChoiceField(label=_("Language"), choices=())

    class Meta:
        model = User
        fields = ["fullname", "locale", "privacy_mode", "subscribed", "restrict"]
        labels = {
            "fullname": _("Full name"),
            "privacy_mode": _("Privacy mode: hide my profile and contributions from others"),
            "subscribed": _("Send me news by e-mail"),
            "restrict": _("Restrict processing: keep my data but stop using it (GDPR)"),
        }
        help_texts = {"restrict": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = settings.LANGUAGES
        for name in ("privacy_mode", "subscribed", "restrict"):
            self.fields[name].label_suffix = ""  # a sentence beside a checkbox, not a "Label:"


class AvatarForm(forms.Form):
    avatar = forms.FileField(label=_("Picture"))

    def clean_avatar(self) -> bytes:
        """Accept only a real image; return it re-encoded as a square PNG thumbnail."""
        upload = self.cleaned_data["avatar"]
        if upload.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(_("The picture is too large (at most 5 MB)."))
        try:
            with Image.open(upload) as probe:
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise forms.ValidationError(_("This file is not a picture we can read.")) from exc
        return square_thumbnail(image)


def square_thumbnail(image: Image.Image, size: int = AVATAR_SIZE) -> bytes:
    image = image.convert("RGBA")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((size, size), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
