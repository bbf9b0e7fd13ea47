"""Checks on files attached to a self-assessment: size, extension and actual content."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

from campaigns import uploads

# Overridable in settings; 5 MB is enough for a scanned decision or a spreadsheet.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")

# What the first bytes of each allowed type look like ("content sniffing"); a renamed .exe
# or an HTML file called report.pdf fails here.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
# Office files are zip archives; the part that makes them a document or a workbook.
_OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CERTIFICATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _read_head(file, size: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


# A scanned decision or a report: far below these once unpacked (campaigns.uploads).
OFFICE_LIMITS = uploads.ArchiveLimits(
    max_entries=1000, max_part_bytes=64 * uploads.MB, max_total_bytes=128 * uploads.MB
)
MAX_IMAGE_PIXELS = 50_000_000  # a page scanned at 600 dpi is about 35 million


def _is_office_file(file, part: str) -> bool:
    """The zip holds the part that makes it a document; a zip bomb is refused outright."""
    position = file.tell()
    try:
        with uploads.open_zip(file, OFFICE_LIMITS) as archive:
            return part in archive.namelist()
    except ValidationError as exc:
        if exc.code == "damaged":
            return False
        raise
    finally:
        file.seek(position)


@deconstructible
class AttachmentValidator:
    """Size limit, allowed extensions and a content check that the file is what it says."""

    def __call__(self, file) -> None:
        limit = max_attachment_bytes()
        if file.size > limit:
            raise ValidationError(
                gettext("The file is too large (%(size)s): the limit is %(limit)s."),
                code="file_too_large",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            )
        extension = _extension(file.name)
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                gettext("Files of type “%(extension)s” are not accepted. Allowed: %(allowed)s."),
                code="file_type_not_allowed",
                params={
                    "extension": extension or "?",
                    "allowed": ", ".join(e for e in ALLOWED_EXTENSIONS if e != "jpeg"),
                },
            )
        head = _read_head(file)
        content_ok = head.startswith(_SIGNATURES[extension])
        if content_ok and extension in _OFFICE_PART:
            content_ok = _is_office_file(file, _OFFICE_PART[extension])
        if content_ok and extension in ("png", "jpg", "jpeg"):
            uploads.check_image(file, max_pixels=MAX_IMAGE_PIXELS)
        if not content_ok:
            raise ValidationError(
                gettext(
                    "The content of the file is not a real %(extension)s file. Save it again "
                    "in that format and attach it."
                ),
                code="file_content_mismatch",
                params={"extension": extension.upper()},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, AttachmentValidator)


validate_attachment = AttachmentValidator()
