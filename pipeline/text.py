"""The one place for language: tokens, sentences, stop words, folding and text hashes.

Built on spaCy's blank Spanish and English pipelines (rule-based; no trained weights, nothing
downloaded), with the abbreviations the reports use taught to the tokenizer, so that
"El H. Congreso … la Lic. Ana Pérez … en Tapachula, Chis. durante 2022." is one sentence.

Sentence ends are ".", "!", "?" and "…" (spaCy's sentencizer), plus paragraph breaks and bullet
marks. Not ":" and not ";": in these reports a colon introduces the list that completes its
sentence ("Se brindó: asesoría jurídica; traslados; …") and a semicolon separates the items of
that list, which mean nothing on their own ("y el Programa Nacional de …"). A cut before a
lower-case word is undone: a period there ends an abbreviation the tokenizer does not know.

- `split_sentences(text)`: the sentences of a text, whitespace collapsed;
- `nfc(text)`: composed Unicode form, surrounding whitespace removed;
- `normal_form(text)`: composed form with whitespace collapsed, the form texts are compared in;
- `fold(text)`: case-, accent- and whitespace-insensitive form, for comparing names;
- `strip_accents(text)`: accents removed, case kept;
- `text_hash(text)`: sha256 of a text, blind to whitespace and Unicode composition;
- `stop_words()`: spaCy's Spanish and English stop words, folded;
- `match_tokens(text)`: the tokens phrase matching works on (taxonomy's actor matcher).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

LANGUAGES = ("es", "en")

# Tokens that end in a period but end no sentence, as the reports write them. spaCy's Spanish
# tokenizer knows the general ones (Lic., Dr., H., S.A., C.V., núm., etc.); these are the
# Mexican ones it does not: titles, state abbreviations, usual shortenings. One token each: a
# two-word form ("Q. Roo.") would need "Roo." here, which ends many a sentence ("… Quintana Roo.").
ABBREVIATIONS = (
    # titles and forms of address
    "Mtro.", "Mtra.", "Profr.", "Profra.", "Ing.", "Arq.", "Biól.", "Dip.", "Sen.", "Gob.",
    "Pdte.", "Pdta.", "Srio.", "Sria.", "Subsrio.", "Mag.", "Min.", "Cap.", "Gral.", "Lcda.",
    # federal entities (as in "Tapachula, Chis.", "Edo. Méx.")
    "Edo.", "Edos.", "Méx.", "Mex.", "Ags.", "B.C.", "B.C.S.", "Camp.", "Chis.", "Chih.",
    "Coah.", "Col.", "Dgo.", "Gto.", "Gro.", "Hgo.", "Jal.", "Mich.", "Mor.", "Nay.", "N.L.",
    "Oax.", "Pue.", "Qro.", "Q.R.", "S.L.P.", "Sin.", "Son.", "Tab.", "Tamps.",
    "Tlax.", "Ver.", "Yuc.", "Zac.", "CDMX.", "D.F.", "Mpio.", "Cd.",
    # numbers, references, companies
    "Núm.", "núm.", "Nums.", "No.", "Art.", "art.", "Arts.", "arts.", "Fracc.", "fracc.",
    "Frac.", "frac.", "Inc.", "inc.", "pág.", "págs.", "Ref.", "Exp.", "Of.",
    "aprox.", "Aprox.", "Av.", "Blvd.", "Depto.", "Admón.", "Cía.", "Lab.",
    "S.A.", "C.V.", "S.C.", "A.C.", "S.N.C.", "I.A.P.", "E.U.A.", "EE.UU.",
    "Lic.", "Lics.", "Dr.", "Dra.", "Sr.", "Sra.", "Srta.", "Ud.", "Uds.", "Vo.Bo.",
)

# Structural boundaries that need no language: a blank line, a bullet mark.
_BLOCK_BREAK = re.compile(r"\n\s*\n|\s*[\u2022\u25cf\u25aa\u25e6]\s*")
_SENTENCE_PUNCT = [".", "!", "?", "…", "。"]
# spaCy refuses texts longer than its max_length (1,000,000 characters by default); a
# paragraph longer than this is cut (at a stop, if it has one) before it reaches the tokenizer.
_MAX_PIECE_CHARS = 100_000


@functools.lru_cache(maxsize=None)
def nlp(lang: str = "es"):
    """The blank spaCy pipeline of `lang` ("es" or "en"): tokenizer with the reports'
    abbreviations, sentencizer, and a rule that undoes cuts before a lower-case word."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    import spacy
    from spacy.symbols import ORTH

    _register_components()
    pipeline = spacy.blank(lang)
    for abbreviation in ABBREVIATIONS:
        pipeline.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    pipeline.add_pipe("sentencizer", config={"punct_chars": _SENTENCE_PUNCT})
    pipeline.add_pipe("pmm_lower_case_continues")
    return pipeline


@functools.lru_cache(maxsize=None)
def _register_components() -> None:
    from spacy.language import Language

    @Language.component("pmm_lower_case_continues")
    def lower_case_continues(doc):
        # "… en Chis. durante 2022": a sentence does not start with a lower-case word; the period
        # before it closed an abbreviation. Only the sentencizer's cuts are undone.
        for token in doc[1:]:
            if token.is_sent_start and token.text[:1].islower():
                token.is_sent_start = False
        return doc


def _pieces(text: str) -> list[str]:
    pieces = []
    for block in _BLOCK_BREAK.split(text or ""):
        block = " ".join(block.split())
        while len(block) > _MAX_PIECE_CHARS:
            # At the last stop before the limit, else the last space, else anywhere.
            cut = block.rfind(". ", 0, _MAX_PIECE_CHARS) + 1 or block.rfind(" ", 0, _MAX_PIECE_CHARS)
            cut = cut if cut > 0 else _MAX_PIECE_CHARS
            pieces.append(block[:cut])
            block = block[cut:].strip()
        if block:
            pieces.append(block)
    return pieces


def split_sentences(text: str, *, lang: str = "es", limit: int | None = None) -> list[str]:
    """The sentences (and bullet items) of a text, whitespace collapsed, empty ones dropped.

    :param limit: stop after this many sentences (a long text costs only what is used).
    """
    sentences = []
    pipeline = nlp(lang)
    for doc in pipeline.pipe(_pieces(text)):
        for sentence in doc.sents:
            if sentence.text.strip():
                sentences.append(sentence.text.strip())
                if limit is not None and len(sentences) >= limit:
                    return sentences
    return sentences


def match_tokens(text: str, *, lang: str = "es") -> list[tuple[str, int, int]]:
    """(token text, start offset, end offset) of the non-space tokens of a text, for phrase
    matching: the same tokenizer cuts the names to find and the text they are found in."""
    doc = nlp(lang).tokenizer(unicodedata.normalize("NFC", text or ""))
    return [(t.text, t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]


def nfc(text: str) -> str:
    """Composed Unicode form, stripped: a decomposed accent ("o" + U+0301) would make two
    equal-looking names differ."""
    return unicodedata.normalize("NFC", text or "").strip()


def normal_form(text: str) -> str:
    """Composed Unicode form with one space between words: what a spreadsheet, a PDF
    re-extraction or a different typesetting changes without changing the text."""
    return " ".join(nfc(text).split())


def strip_accents(text: str) -> str:
    """Accents and other combining marks removed, case kept: "MIGRACIÓN" -> "MIGRACION"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """Casefolded, accents stripped, whitespace collapsed: "  Migración\\nIRREGULAR " ->
    "migracion irregular". Names, headings and typed labels are compared in this form."""
    return " ".join(strip_accents(str(text or "").casefold()).split())


def text_hash(text: str) -> str:
    """sha256 (hex) of a text, blind to surrounding and repeated whitespace, line endings and
    Unicode composition: what a spreadsheet or a PDF re-extraction changes without changing
    the text. The store, the model's memory and the review sheet all key texts by it."""
    return hashlib.sha256(normal_form(text).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def stop_words() -> frozenset[str]:
    """spaCy's Spanish and English stop words, folded ("también" and "tambien" alike)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES

    return frozenset(fold(word) for word in ES | EN)


@functools.lru_cache(maxsize=None)
def lemma_table(lang: str) -> dict[str, str]:
    """spaCy's lookup lemmas of `lang` (spacy-lookups-data): surface form -> lemma."""
    from spacy.lookups import load_lookups

    lookups = load_lookups(lang, ["lemma_lookup"])
    return dict(lookups.get_table("lemma_lookup"))
