"""Bounds on what an uploaded file may make the server do, checked before anything is parsed.

A small upload can ask for a lot: a zip that inflates to gigabytes, a sheet that declares
16,384 columns, a million shared strings, XML entities that expand exponentially, a picture of
a billion pixels. Each check here reads only headers (the zip's central directory, an image's
header) or streams XML with a counter that stops at the cap, so any file is refused or accepted
within a few seconds and a few megabytes. Used by the spreadsheet import
(:mod:`campaigns.imports`) and the certification attachments
(:mod:`campaigns.certifications.validators`).
"""

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int
    max_part_bytes: int
    max_total_bytes: int


def damaged(kind: str) -> ValidationError:
    return ValidationError(
        gettext("The file cannot be read: it is damaged or incomplete (%(kind)s).")
        % {"kind": kind},
        code="damaged",
    )


def open_zip(file: IO[bytes], limits: ArchiveLimits) -> zipfile.ZipFile:
    """The archive, once its central directory shows it inflates to a reasonable size.

    Python's zipfile never inflates a member past the size its header declares, so the
    declared sizes checked here bound what reading the parts can cost.
    """
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged("zip") from exc
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        archive.close()
        raise ValidationError(
            gettext("The file holds too many parts (%(count)s; at most %(max)s).")
            % {"count": len(infos), "max": limits.max_entries},
            code="too_many_parts",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_bytes or total > limits.max_total_bytes:
            archive.close()
            raise ValidationError(
                gettext(
                    "Once unpacked the file would take more than %(max)s (a compressed file "
                    "this large is refused): save it again without pictures or extra sheets."
                )
                % {"max": filesizeformat(limits.max_total_bytes)},
                code="too_large_unpacked",
            )
    return archive


def stream_elements(source: IO[bytes]) -> Iterator[tuple[str, str, object]]:
    """(event, local tag name, element) of an XML part, parsed as a stream.

    Entities and DTDs are refused (defusedxml), so an "XML bomb" stops at its first line.
    The caller clears what it has read, so memory stays flat whatever the length.
    (``iterparse`` still keeps the cleared elements under the root: a few dozen bytes each,
    bounded by the caller's element count.)
    """
    try:
        for event, element in iterparse(source, events=("start", "end")):
            yield event, element.tag.rpartition("}")[2], element
    except DefusedXmlException as exc:
        raise ValidationError(
            gettext("The file contains XML constructs that are not accepted (entities or DTD)."),
            code="xml_forbidden",
        ) from exc
    except (SyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # ElementTree.ParseError is a SyntaxError; a truncated member fails its CRC.
        raise damaged("xml") from exc


@dataclass(frozen=True)
class XlsxLimits:
    max_rows: int
    max_columns: int
    max_cells: int
    max_strings: int
    max_elements: int  # XML elements over all parts: bounds the time spent parsing


_CELL_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def parse_range(reference: str) -> tuple[int, int]:
    """(rows, columns) spanned by a range such as ``A1:I681`` (a single cell: its position)."""
    last = reference.split(":")[-1].upper()
    match = _CELL_REFERENCE.match(last)
    if not match:
        return 0, 0
    return int(match.group(2)), _column_number(match.group(1))


def too_many(what: str, limit: int) -> ValidationError:
    messages = {
        "rows": gettext("The sheet has more than %(max)s rows."),
        "columns": gettext(
            "The sheet has more than %(max)s columns: the template has 9. Delete the extra "
            "columns, or copy the figures into a new template."
        ),
        "cells": gettext("The sheet has more than %(max)s filled cells."),
        "strings": gettext(
            "The workbook holds more than %(max)s different texts; a filled-in template has "
            "far fewer."
        ),
        "elements": gettext(
            "The workbook is far more complex than a filled-in template (more than %(max)s "
            "XML elements): copy the figures into a new template."
        ),
    }
    return ValidationError(messages[what] % {"max": limit}, code=f"too_many_{what}")


def check_xlsx_parts(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    """Stream every XML part of a workbook once, refusing it at the first cap passed.

    openpyxl, even read-only, parses each worksheet whole to find its size when it has no
    ``<dimension>``, and loads the shared strings whole: so every part is checked first.
    A worksheet's ``<dimension>`` comes first, so ``A1:XFD1048576`` is refused after a few
    bytes; rows, columns, cells and shared strings are counted as they stream, and so are all
    elements of all parts together. Memory stays flat: each element is cleared once read.
    """
    elements = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        rows = cells = row_cells = strings = 0
        with archive.open(info) as source:
            for event, tag, element in stream_elements(source):
                if event == "start":
                    elements += 1
                    if elements > limits.max_elements:
                        raise too_many("elements", limits.max_elements)
                    if tag == "dimension":
                        declared_rows, declared_columns = parse_range(element.get("ref", ""))
                        if declared_columns > limits.max_columns:
                            raise too_many("columns", limits.max_columns)
                        if declared_rows > limits.max_rows:
                            raise too_many("rows", limits.max_rows)
                    elif tag == "row":
                        rows += 1
                        row_cells = 0
                        if rows > limits.max_rows:
                            raise too_many("rows", limits.max_rows)
                    continue
                if tag == "c":
                    cells += 1
                    row_cells += 1
                    reference = element.get("r")
                    column = parse_range(reference)[1] if reference else row_cells
                    if max(column, row_cells) > limits.max_columns:
                        raise too_many("columns", limits.max_columns)
                    if cells > limits.max_cells:
                        raise too_many("cells", limits.max_cells)
                elif tag == "si":
                    strings += 1
                    if strings > limits.max_strings:
                        raise too_many("strings", limits.max_strings)
                element.clear()


def check_image(file: IO[bytes], *, max_pixels: int) -> None:
    """Refuse a picture that is not one, or whose header declares more than ``max_pixels``.

    Pillow reads the header only (no pixel is decoded), then ``verify`` walks the chunks.
    """
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    gettext(
                        "The picture is too large (%(width)s × %(height)s pixels; at most "
                        "%(max)s million pixels): scan it at a lower resolution."
                    )
                    % {"width": width, "height": height, "max": max_pixels // 1_000_000},
                    code="image_too_large",
                )
            image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            gettext(
                "The picture is too large (at most %(max)s million pixels): scan it at a lower "
                "resolution."
            )
            % {"max": max_pixels // 1_000_000},
            code="image_too_large",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise damaged("image") from exc
    except Exception as exc:  # Pillow's plugins raise many kinds on a malformed header
        raise damaged("image") from exc
    finally:
        file.seek(0)
