"""Checks on files people upload with their ideas."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# File signatures ("magic numbers") of the image formats we accept, by extension.
SIGNATURES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
}


def validate_idea_image(upload) -> None:
    """A JPEG, PNG or WebP picture of at most 5 MB whose content matches its name."""
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(_("The picture must be a JPEG, PNG or WebP file."))
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The picture must be smaller than 5 MB."))
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(12)
    upload.seek(position)
    if not any(head.startswith(sig) for sig in SIGNATURES[extension]) or (
        extension == "webp" and head[8:12] != b"WEBP"
    ):
        raise ValidationError(
            _("The file is not the kind of picture its name says. Choose a JPEG, PNG or WebP file.")
        )
