"""Checks on files uploaded to consultations: officers' documents and respondents' evidence.

A file must have one of the accepted extensions, be no larger than the limit, and begin with the signature
("magic number") of that kind of file, so a program renamed to ``.pdf`` is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "doc": _OLE,
    "docx": _ZIP,
    "odt": _ZIP,
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ACCEPT = ",".join(f".{extension}" for extension in SIGNATURES)


def _extension(upload) -> str:
    name = (getattr(upload, "name", "") or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def _check(upload, *, limit: int, what: str) -> None:
    extension = _extension(upload)
    if extension not in SIGNATURES:
        raise ValidationError(
            _("The %(what)s must be a PDF, Word (DOC or DOCX), OpenDocument text (ODT), JPEG or PNG file.")
            % {"what": what}
        )
    if upload.size > limit:
        raise ValidationError(
            _("The %(what)s must be smaller than %(size)d MB.")
            % {"what": what, "size": limit // (1024 * 1024)}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise ValidationError(
            _("The file is not the kind of file its name says (.%(extension)s). Choose another file.")
            % {"extension": extension}
        )


def validate_document(upload) -> None:
    """A document officers publish with a consultation: at most 20 MB."""
    _check(upload, limit=MAX_DOCUMENT_BYTES, what=_("document"))


def validate_evidence(upload) -> None:
    """A file a respondent sends as evidence: at most 10 MB."""
    _check(upload, limit=MAX_EVIDENCE_BYTES, what=_("file"))
