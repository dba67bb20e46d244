#!/usr/bin/env python3
"""Draw the modern-news NER test sample and print its unlabelled CoNLL.

    python3 tools/make_modern_ner_sample.py > modern_unlabelled.conll
    python3 tools/make_modern_ner_sample.py --list      # the drawn article ids

Draws 30 articles of ANT Corpus v2.1's training part (6 per source: alarabia,
BBC, CNN, france24, skynews) with random.Random(20261130), and prints, for each,
"-DOCSTART-", a blank line, then the title as the first sentence and the first
sentences of the text until at least 150 tokens are taken, one `token<TAB>O` per
line and a blank line after each sentence. The labels of
tests/testdata/ner/modern/modern_news.conll were then written by hand over
exactly this token stream.

Which articles can be drawn (the candidates of a source, sorted by id):
  * date_ymd in 2018;
  * id not in the bundled sample data/sample/ant_recent_3000.jsonl.gz, and text
    not identical (after whitespace normalisation) to a text of that sample
    (the corpus repeats articles under several ids);
  * one copy per text (the first id in sorted order);
  * title + text give at least 150 tokens.
Then rng.sample(candidates, 6) for each source in the order above, with one rng.

Tokenisation (ANERcorp style): split on whitespace; split punctuation marks off
the start and end of each word, one mark per token; clitics stay attached
(«لترامب», «والعراق»); numbers stay whole («6.3», «15%»); a word with no letter
or digit is split into its marks.
Sentences end after . ! ? ؟ … (taking along the closing marks » ” ) ] that
follow, and a '"' that closes a quotation opened earlier in the line) and at
each newline of the text; the title is one sentence.
"""
import argparse
import gzip
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(REPO, "..", "shared", "data", "ant-corpus-v2.1-multisource", "ant_v2.1_train.jsonl")
SAMPLE = os.path.join(REPO, "data", "sample", "ant_recent_3000.jsonl.gz")
SEED = 20261130
SOURCES = ["alarabia", "BBC", "CNN", "france24", "skynews"]
PER_SOURCE = 6
MIN_TOKENS = 150

# Marks split off the start and end of words.
PUNCT = set('.,،؛;:!?؟«»"“”„()[]{}\'‘’`…-–—_/\\*#@|<>~^')
# Sentence-final marks, and marks that close a sentence after them.
FINAL = set(".!?؟…")
CLOSERS = set('»”’)]}')


def split_word(word):
    """Split leading and trailing punctuation marks off one whitespace word."""
    if not any(ch.isalnum() for ch in word):
        return list(word)
    i, j = 0, len(word)
    while i < j and word[i] in PUNCT:
        i += 1
    while j > i and word[j - 1] in PUNCT:
        j -= 1
    return list(word[:i]) + [word[i:j]] + list(word[j:])


def tokenize(line):
    out = []
    for w in line.split():
        out.extend(split_word(w))
    return out


def sentences_of_line(line):
    """Split one line's tokens into sentences after . ! ? ؟ (and closers)."""
    toks = tokenize(line)
    sents, cur, i, quotes = [], [], 0, 0  # quotes: '"' marks seen so far in the line
    while i < len(toks):
        t = toks[i]
        cur.append(t)
        i += 1
        if t == '"':
            quotes += 1
        if t in FINAL:
            # A '"' right after the end mark closes a quotation when one is open.
            while i < len(toks) and (toks[i] in FINAL or toks[i] in CLOSERS
                                     or (toks[i] == '"' and quotes % 2 == 1)):
                if toks[i] == '"':
                    quotes += 1
                cur.append(toks[i])
                i += 1
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    return sents


def excerpt(article):
    """Title as the first sentence, then text sentences until >= MIN_TOKENS tokens."""
    sents = [tokenize(article["title"])]
    n = len(sents[0])
    for line in article["text"].split("\n"):
        for s in sentences_of_line(line):
            if n >= MIN_TOKENS:
                return sents
            sents.append(s)
            n += len(s)
    return sents


def norm(text):
    return " ".join(text.split())


def draw(corpus=CORPUS, sample=SAMPLE):
    seen_ids, seen_texts = set(), set()
    with gzip.open(sample, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            seen_ids.add(a["id"])
            if a.get("text"):
                seen_texts.add(norm(a["text"]))
    articles = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            articles.append(json.loads(line))
    articles.sort(key=lambda a: a["id"])
    by_source = {s: [] for s in SOURCES}
    copies = set()
    for a in articles:
        if not a.get("date_ymd", "").startswith("2018"):
            continue
        t = norm(a.get("text") or "")
        if a["id"] in seen_ids or t in seen_texts or t in copies:
            continue
        copies.add(t)
        if sum(len(s) for s in excerpt(a)) < MIN_TOKENS:
            continue
        if a["source"] in by_source:
            by_source[a["source"]].append(a)
    rng = random.Random(SEED)
    drawn = []
    for s in SOURCES:
        drawn.extend(rng.sample(by_source[s], PER_SOURCE))
    return drawn


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="print the drawn ids (id, source, category, date, tokens)")
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--sample", default=SAMPLE)
    a = ap.parse_args()
    out = sys.stdout
    for art in draw(a.corpus, a.sample):
        sents = excerpt(art)
        if a.list:
            out.write(f"{art['id']}\t{art['source']}\t{art['category']}\t{art['date_ymd']}\t"
                      f"{sum(len(s) for s in sents)}\n")
            continue
        out.write("-DOCSTART-\n\n")
        for s in sents:
            for t in s:
                out.write(f"{t}\tO\n")
            out.write("\n")


if __name__ == "__main__":
    main()
