"""The DejaVu fonts are parsed once per process and shared by the documents (lib/pdf.py): each
document still embeds its own subset, with only the glyphs it uses, and reads back as written."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from fontTools import ttLib
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from lib.pdf import COMMON_CHARACTERS, FONT_FILES, line, new_pdf, output


def document(text: str, bold: str) -> bytes:
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, text)
    line(pdf, bold, bold=True)
    return output(pdf)


def embedded_fonts(data: bytes) -> list[ttLib.TTFont]:
    """The font programs embedded in a PDF, parsed back."""
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            descendant = ref.get_object()["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            fonts.append(ttLib.TTFont(io.BytesIO(program)))
    return fonts


def test_successive_documents_each_embed_only_their_own_glyphs():
    first = document("Привет Ωμέγα — 20 € HT", "Ελληνικά")
    second = document("Élise à Clermont", "Facture")

    assert "Привет Ωμέγα — 20 € HT" in PdfReader(io.BytesIO(first)).pages[0].extract_text()
    text = PdfReader(io.BytesIO(second)).pages[0].extract_text()
    assert "Élise à Clermont" in text and "Facture" in text
    for font in embedded_fonts(second):
        glyphs = font.getGlyphOrder()
        assert len(glyphs) < 40, glyphs  # a subset, not DejaVu's ~6,000 glyphs
        cmap = font.getBestCmap() or {}
        assert ord("П") not in cmap and ord("Ω") not in cmap  # nothing left over from the first document


def test_documents_rendered_at_once_in_threads_read_back_whole():
    """Two job threads render at once: nothing output writes into (the descriptor's object number, its
    font file) may be shared, or a document is numbered by the other (KeyError in fpdf2's output)."""
    names = [f"Zoé n° {n} — Ærøskøbing" for n in range(60)]
    with ThreadPoolExecutor(6) as pool:
        documents = list(pool.map(lambda name: document(name, "Billet"), names))
    for name, data in zip(names, documents, strict=True):
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert name in text and "Billet" in text


def test_fpdf2_font_slots_are_the_ones_lib_pdf_copies():
    """lib.pdf.add_fonts renews i, ttfont, subset, desc, missing_glyphs, biggest_size_pt and _hbfont for
    each document and shares the rest: a new slot in fpdf2's TTFFont needs a look at which kind it is."""
    assert set(TTFFont.__slots__) == {
        "i", "type", "name", "desc", "glyph_ids", "_hbfont", "sp", "ss", "up", "ut", "cw", "ttffile",
        "fontkey", "emphasis", "scale", "subset", "cmap", "ttfont", "missing_glyphs", "biggest_size_pt",
        "color_font", "unicode_range", "palette_index", "is_compressed", "is_cff", "is_cid_keyed",
        "is_symbol", "cff_ros", "collection_font_number",
    }  # fmt: skip


def test_each_document_has_its_own_font_descriptor():
    """The descriptor is a PDF object that output numbers and attaches the font file to: shared by two
    documents rendered at once by two job threads, one came out numbered by the other (KeyError in
    fpdf2's output, seen on CI)."""
    first, second = new_pdf(), new_pdf()
    for key, font in first.fonts.items():
        assert font.desc is not second.fonts[key].desc
        assert font.cw is second.fonts[key].cw  # the parsed widths stay shared


def glyph_outlines(font: ttLib.TTFont, characters: str) -> dict[str, object]:
    """Each character's outline in `font`, a composite glyph's components resolved into points."""
    glyf, cmap = font["glyf"], font.getBestCmap()
    outlines: dict[str, object] = {}
    for character in characters:
        coordinates, end_points, flags = glyf[cmap[ord(character)]].getCoordinates(glyf)
        outlines[character] = (list(coordinates), list(end_points))
    return outlines


def test_a_latin_document_embeds_dejavus_own_glyphs():
    """A document in French (or any Latin-script language) is subset from the common part of DejaVu:
    its glyphs, read back from the PDF, are DejaVu's, accents and € included."""
    text = "Zoé Œuvre « ça » — 20,00 € HT ; Łódź, Ștefan, Ærøskøbing… ✓"
    data = document(text, "Facture n° 2026-0042")
    assert text in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    regular, bold = embedded_fonts(data)
    whole = ttLib.TTFont(FONT_FILES[""])
    assert glyph_outlines(regular, set(text) - {" "}) == glyph_outlines(whole, set(text) - {" "})
    whole_bold = ttLib.TTFont(FONT_FILES["B"])
    assert glyph_outlines(bold, "Factur2046") == glyph_outlines(whole_bold, "Factur2046")


def test_one_character_beyond_the_common_part_takes_the_whole_font():
    """A name in Greek or Cyrillic beside French text: that font is subset from the whole of DejaVu
    (with every glyph the document uses), the other one from the common part."""
    assert not {ord("Ж"), ord("λ")} & set(COMMON_CHARACTERS)
    data = document("Élise Жуковская λ", "Billet")
    assert "Élise Жуковская λ" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    regular, bold = embedded_fonts(data)
    assert glyph_outlines(regular, "ÉЖλ") == glyph_outlines(ttLib.TTFont(FONT_FILES[""]), "ÉЖλ")
    assert set(bold.getBestCmap()) >= {ord(c) for c in "Billet"}
