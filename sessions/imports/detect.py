"""Telling a CSV file from a FHIR Bundle by what it contains, whatever it is called."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import BinaryIO, Literal

from .rows import ImportRefused

FileOpener = Callable[[], BinaryIO]
FileFormat = Literal["csv", "fhir"]

NOT_AN_APPOINTMENT_LIST = (
    "The selected file is not an appointment list Waitroom can read. "
    "Choose a CSV file or a FHIR R4 Bundle saved as JSON."
)
EMPTY_FILE = "The selected file is empty. Choose the file exported from the hospital system."

_HEAD_BYTES = 8192


def text_encoding(head: bytes) -> str:
    """The encoding a byte-order mark announces; UTF-8 (BOM or not) otherwise."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def detect_format(open_file: FileOpener) -> FileFormat:
    """'csv' or 'fhir' from the file's first bytes; `ImportRefused` for anything else."""
    with open_file() as stream:
        head = stream.read(_HEAD_BYTES)
    encoding = text_encoding(head)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "The selected file is an Excel workbook, not a CSV file. In Excel, choose "
            "'Save as', then 'CSV UTF-8 (comma delimited)', and choose the saved file."
        )
    if encoding == "utf-8-sig" and b"\x00" in head:
        raise ImportRefused(NOT_AN_APPOINTMENT_LIST)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if not text:
        raise ImportRefused(EMPTY_FILE)
    if text[0] in "{[":
        return "fhir"
    if text[0] == "<":
        raise ImportRefused(
            "The selected file is XML or a web page. Export FHIR appointments as JSON, "
            "or the appointment list as CSV."
        )
    return "csv"
