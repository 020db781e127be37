"""Read a PDF's text back, so tests check what a document says rather than that bytes exist."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """All pages' text, in order, with runs of white space folded to one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
