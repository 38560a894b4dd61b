"""The XMP metadata of a PDF, written so that PDFBox-based archive checkers read it too.

WeasyPrint declares every XML namespace of its XMP packet once, on rdf:RDF, which XML and RDF allow.
Apache PDFBox's XMP parser (used by its PDF/A validator, Preflight, and by archive ingest tools built on
it) only finds a schema whose namespace is declared on its own rdf:Description, and then reports a PDF/A
file as having no PDF/A identification. Declaring each Description's namespaces on it says the same.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pydyf

RDF_START, RDF_END = b"<rdf:RDF", b"</rdf:RDF>"
RDF_NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def declare_namespaces_on_descriptions(pdf: pydyf.PDF) -> None:
    """Rewrite the document's XMP packet (if any) with namespaces declared on each rdf:Description."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    stream = pdf.objects[int(bytes(reference).split()[0])]
    stream.stream = [with_namespaces_on_descriptions(b"".join(stream.stream))]


def with_namespaces_on_descriptions(packet: bytes) -> bytes:
    start, end = packet.find(RDF_START), packet.find(RDF_END)
    if start < 0 or end < 0:
        return packet
    rdf = ElementTree.fromstring(packet[start : end + len(RDF_END)])
    # ElementTree declares on the element it serialises every namespace used inside it.
    descriptions = "".join(ElementTree.tostring(description, encoding="unicode") for description in rdf)
    return b"".join(
        (
            packet[:start],
            f'<rdf:RDF xmlns:rdf="{RDF_NAMESPACE}">{descriptions}</rdf:RDF>'.encode(),
            packet[end + len(RDF_END) :],
        )
    )
