import pytest

from acupath.core.pdf import Document, pdf_response
from tests.pdf import pdf_pages, pdf_text


def _letter() -> Document:
    doc = Document(
        "Referral letter",
        letterhead=["Jayanth Acupuncture Clinic", "12 MG Road, Bengaluru"],
        footer="Confidential: for the named clinician",
    )
    doc.heading("Findings")
    doc.paragraph("Saddle numbness since Tuesday & new difficulty passing urine <2 days>.")
    doc.key_values([("Patient", "Zoë Müller"), ("Born", "1961-04-02")])
    doc.table([["Instrument", "Baseline", "Latest"], ["Pain (0-10)", 7, 3]])
    return doc


def test_document_text_reads_back_in_order_with_markup_escaped():
    text = pdf_text(_letter().render())
    assert text.index("Jayanth Acupuncture Clinic") < text.index("Referral letter") < text.index("Findings")
    assert "Saddle numbness since Tuesday & new difficulty passing urine <2 days>." in text
    assert "Zoë Müller" in text  # an embedded TrueType font keeps accents
    assert "Pain (0-10) 7 3" in text
    assert "Confidential: for the named clinician" in text and "Page 1" in text


def test_long_content_flows_onto_more_pages_with_numbers():
    doc = Document("Statement")
    doc.table([["Date", "Amount"]] + [[f"2026-01-{i % 28 + 1:02d}", f"{i}.00"] for i in range(120)])
    data = doc.render()
    assert pdf_pages(data) >= 3
    assert "Page 3" in pdf_text(data)


def test_empty_table_adds_nothing():
    doc = Document("Empty")
    doc.table([])
    assert "Empty" in pdf_text(doc.render())


@pytest.mark.parametrize("name", ["report.pdf"])
def test_pdf_response_is_inline_pdf_not_cached(name):
    response = pdf_response(b"%PDF-1.4", name)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert response["Cache-Control"] == "no-store"
