"""Uploaded documents and evidence: the kind of file, its size and its content must agree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from localpower.consultations.validators import MAX_EVIDENCE_BYTES, validate_document, validate_evidence


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"%PDF-1.7\n"),
        ("letter.docx", b"PK\x03\x04rest"),
        ("notes.odt", b"PK\x03\x04rest"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        ("photo.JPG", b"\xff\xd8\xff\xe0rest"),
        ("plan.png", b"\x89PNG\r\n\x1a\nrest"),
    ],
)
def test_accepted_files(name, content):
    validate_document(SimpleUploadedFile(name, content))
    validate_evidence(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ", "must be a PDF"),
        ("no-extension", b"%PDF-", "must be a PDF"),
        ("renamed.pdf", b"MZ\x90\x00", "not the kind of file its name says"),
        ("renamed.docx", b"%PDF-1.4", "not the kind of file its name says"),
    ],
)
def test_refused_files(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_evidence(SimpleUploadedFile(name, content))
    assert message in error.value.messages[0]


def test_evidence_size_limit():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_evidence(big)
    assert "smaller than 10 MB" in error.value.messages[0]
    validate_document(big)  # documents may be up to 20 MB
