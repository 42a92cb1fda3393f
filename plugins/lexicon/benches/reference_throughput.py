#!/usr/bin/env python3
"""Time vaderSentiment 3.3.2 on the 23,703 VADER ground-truth texts, single thread.

Run it in the throw-away virtualenv that holds the reference (see
tests/data/vader/make_reference.py), e.g. through benches/compare.sh, which runs this and the
criterion bench one after the other. It reads the texts exactly as benches/vader.rs does and
prints the mean and best throughput of REPEATS full passes after one warm-up pass.
"""

import os
import platform
import statistics
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data", "vader")
FILES = [
    "tweets_GroundTruth.txt",
    "movieReviewSnippets_GroundTruth.txt",
    "amazonReviewSnippets_GroundTruth.txt",
    "nytEditorialSnippets_GroundTruth.txt",
]
REPEATS = int(os.environ.get("REPEATS", "5"))


def texts():
    out = []
    for name in FILES:
        with open(os.path.join(DATA, name), "rb") as f:
            for line in f.read().decode("utf-8").split("\n"):
                line = line[:-1] if line.endswith("\r") else line
                if line:
                    out.append(line.split("\t", 2)[2])
    return out


def main():
    corpus = texts()
    assert len(corpus) == 23703, len(corpus)
    analyzer = SentimentIntensityAnalyzer()
    for t in corpus:  # warm-up
        analyzer.polarity_scores(t)
    rates = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for t in corpus:
            analyzer.polarity_scores(t)
        rates.append(len(corpus) / (time.perf_counter() - start))
    print(
        "Python %s, vaderSentiment 3.3.2: %d texts x %d passes: mean %.0f texts/s (best %.0f)"
        % (platform.python_version(), len(corpus), REPEATS, statistics.mean(rates), max(rates))
    )
    # Last line, for compare.sh.
    print("mean_texts_per_s %.1f" % statistics.mean(rates))


if __name__ == "__main__":
    main()
