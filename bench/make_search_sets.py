#!/usr/bin/env python3
"""Builds the corpus and the query sets of the search benchmark (docs/search-benchmarks.md).

    python3 bench/make_search_sets.py [--data ../shared/data] [--seed 20240611] OUT_DIR

OUT_DIR must be outside the repository (the files are about 450 MB). Python standard library
only; the same data and seed always give byte-identical files.

Input: the three news corpora of ../shared/data, read in this order:
  ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl   (25,279 articles)
  ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl     ( 8,131)
  saudinewsnet/saudinewsnet.jsonl.gz                 (31,030, gzip JSONL)

Output files:

corpus.jsonl
    Every article, one JSON object per line with the fields id, title, text, date, source,
    category (in that order; category is "" for SaudiNewsNet, which has none). The date is
    the ANT corpora's normalised `date_ymd` (YYYY-MM-DD) and SaudiNewsNet's `date`
    (YYYY-MM-DD hh:mm:ss). Records whose title and text are both blank are dropped (57 of
    64,440: there is nothing to index and rasid rejects them), leaving 64,383 articles, the
    corpus of the peers' baselines. Ids are kept as they are; an id seen before gets the
    suffix "~2", "~3", ... (none does in the current data).

corpus_notitle.jsonl
    The same articles with the title set to "" (for the known-item task: the title must
    not be indexed). The articles whose text is blank stay; every engine sees the same
    file (rasid skips the ones that end up with neither title nor text as bad records).

known_item.tsv, known_item.qrels
    1,000 titles as queries against the bodies ("qid<TAB>query", qids ki0001 ..;
    qrels "qid 0 docid 1"). An article is a candidate when
      - its title has at least 3 words (after the cleaning below),
      - its text is not blank,
      - no other article has the same title (whitespace-collapsed) -- this also drops the
        ANT articles filed under two categories, which are identical copies,
      - no other article has the same text (whitespace-collapsed): the qrels could name only
        one of the identical copies, so the others would count as misses.
    1,000 candidates are drawn with random.Random(seed).sample from the candidates in
    corpus order, then written in corpus order.

short.tsv
    500 short queries of 1-3 words taken from titles, like the peers' baseline: articles are
    drawn in a seeded random order; for each, the title's content words (cleaned words of at
    least 3 letters, with a letter in them, not in data/stopwords.txt) are listed in title
    order, a length n = 1, 2 or 3 is drawn (uniformly; capped by the number of content
    words), and a random run of n consecutive content words becomes the query. Duplicate
    queries are skipped. qids sq001 ..

questions.tsv
    200 natural-language questions of 6-15 words, as a reader would type them: a title
    (cleaned, 4-12 words) wrapped in an Arabic question frame chosen at random from the
    TEMPLATES below («ما هي آخر أخبار ...؟», «ماذا قال ... عن ...؟», «ما هو موقف ... من
    ...؟», «لماذا ...؟», «هل صحيح أن ...؟» ...). Frames with two slots put the title's first
    word in the first slot (the subject of most headlines) and the rest in the second. Title
    words are dropped from the end until the question has at most 15 words; a question with
    fewer than 6 words is skipped. qids nq001 ..

Cleaning (every query set): rasid's query language gives a meaning to some characters
(docs/query.md), the peers take queries as plain bags of words. So that every engine runs
the same bag of words, quotes of every kind, parentheses, brackets, braces, & and | become
spaces; punctuation and symbols at the start or end of a word are removed (except % ٪ # @,
which are part of tokens); a word such as `title:x` whose part before ':' is a field name
becomes two words; the upper-case words AND, OR, NOT are lower-cased. Nothing inside a word
changes (كوفيد-19 stays one word), so every engine's analyser sees the words it would see in
the article. Question marks are added only after this step; every engine's analyser drops
them.
"""
import argparse
import gzip
import json
import os
import random
import re
import sys
import unicodedata

CORPORA = [
    ("ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl", False),
    ("ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl", False),
    ("saudinewsnet/saudinewsnet.jsonl.gz", True),
]

N_KNOWN_ITEM = 1000
N_SHORT = 500
N_QUESTIONS = 200

# Question frames. "{x}" takes the title; "{s}" and "{x}" take its first word and the rest.
TEMPLATES = [
    "ما هي آخر أخبار {x}؟",
    "ماذا قال {s} عن {x}؟",
    "ما هو موقف {s} من {x}؟",
    "لماذا {x}؟",
    "كيف {x}؟",
    "متى {x}؟",
    "هل صحيح أن {x}؟",
    "ما الذي حدث بشأن {x}؟",
    "أريد معرفة تفاصيل {x}",
    "ما أسباب {x}؟",
    "ما هي تداعيات {x}؟",
    "ما حقيقة ما نشر عن {x}؟",
    "أين وصلت قضية {x}؟",
    "ما هي تفاصيل {x} وما ردود الفعل عليها؟",
    "ابحث عن مقالات تتحدث عن {x}",
    "ما علاقة {s} بما يجري في {x}؟",
]

FIELD_NAMES = {"title", "عنوان", "source", "مصدر", "category", "تصنيف", "author", "كاتب", "id",
               "date", "تاريخ", "exact"}
OPERATOR_CHARS = "\"'«»“”„‟‹›()[]{}&|"
KEEP_AT_EDGES = set("%٪#@")


def read_corpora(data_dir):
    """Yields the articles of the three corpora as dicts, in corpus order."""
    for rel, gz in CORPORA:
        path = os.path.join(data_dir, rel)
        opener = gzip.open if gz else open
        with opener(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: {e}")


def s(v):
    return v if isinstance(v, str) else ""


def collapse(t):
    return " ".join(t.split())


def is_punct_or_symbol(ch):
    return unicodedata.category(ch)[0] in "PS" and ch not in KEEP_AT_EDGES


def clean_words(text):
    """The query cleaning of the docstring; returns the list of words."""
    table = {ord(c): " " for c in OPERATOR_CHARS}
    words = []
    for w in text.translate(table).split():
        # field:value -> field value
        if ":" in w:
            head, _, tail = w.partition(":")
            if head.lower() in FIELD_NAMES:
                words.extend(clean_words(head + " " + tail))
                continue
        b, e = 0, len(w)
        while b < e and is_punct_or_symbol(w[b]):
            b += 1
        while e > b and is_punct_or_symbol(w[e - 1]):
            e -= 1
        w = w[b:e]
        if not w:
            continue
        if w in ("AND", "OR", "NOT"):
            w = w.lower()
        words.append(w)
    return words


def load_stopwords(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(line)
    return out


def letters(w):
    return sum(1 for c in w if c.isalpha())


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for qid, q in rows:
            assert "\t" not in q and "\n" not in q
            f.write(f"{qid}\t{q}\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--data", default=os.path.join(repo, "..", "shared", "data"))
    ap.add_argument("--stopwords", default=os.path.join(repo, "data", "stopwords.txt"))
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args()

    out = os.path.abspath(args.out_dir)
    if out == repo or out.startswith(repo + os.sep):
        sys.exit(f"{out}: put the output outside the repository")
    os.makedirs(out, exist_ok=True)
    stop = load_stopwords(args.stopwords)

    # ---- corpus
    docs = []
    seen_ids = {}
    dropped = 0
    for r in read_corpora(args.data):
        title, text = s(r.get("title")), s(r.get("text"))
        if not title.strip() and not text.strip():
            dropped += 1
            continue
        doc_id = s(r.get("id")) or str(r.get("id"))
        if doc_id in seen_ids:
            seen_ids[doc_id] += 1
            doc_id = f"{doc_id}~{seen_ids[doc_id]}"
        seen_ids.setdefault(doc_id, 1)
        date = s(r.get("date_ymd")) or s(r.get("date"))
        docs.append({"id": doc_id, "title": title, "text": text, "date": date,
                     "source": s(r.get("source")), "category": s(r.get("category"))})

    with open(os.path.join(out, "corpus.jsonl"), "w", encoding="utf-8", newline="\n") as f, \
         open(os.path.join(out, "corpus_notitle.jsonl"), "w", encoding="utf-8", newline="\n") as g:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
            g.write(json.dumps(dict(d, title=""), ensure_ascii=False) + "\n")

    # ---- known items
    title_count, text_count = {}, {}
    for d in docs:
        t, x = collapse(d["title"]), collapse(d["text"])
        title_count[t] = title_count.get(t, 0) + 1
        text_count[x] = text_count.get(x, 0) + 1
    cand = []
    for i, d in enumerate(docs):
        words = clean_words(d["title"])
        if len(words) < 3 or not d["text"].strip():
            continue
        if title_count[collapse(d["title"])] > 1 or text_count[collapse(d["text"])] > 1:
            continue
        cand.append(i)
    if len(cand) < N_KNOWN_ITEM:
        sys.exit(f"only {len(cand)} known-item candidates")
    chosen = sorted(random.Random(args.seed).sample(cand, N_KNOWN_ITEM))
    ki = [(f"ki{n:04d}", " ".join(clean_words(docs[i]["title"]))) for n, i in enumerate(chosen, 1)]
    write_tsv(os.path.join(out, "known_item.tsv"), ki)
    with open(os.path.join(out, "known_item.qrels"), "w", encoding="utf-8", newline="\n") as f:
        for (qid, _), i in zip(ki, chosen):
            f.write(f"{qid} 0 {docs[i]['id']} 1\n")

    # ---- short queries
    rng = random.Random(args.seed + 1)
    order = list(range(len(docs)))
    rng.shuffle(order)
    short, seen = [], set()
    for i in order:
        content = [w for w in clean_words(docs[i]["title"]) if letters(w) >= 3 and w not in stop]
        if not content:
            continue
        n = min(rng.randint(1, 3), len(content))
        start = rng.randint(0, len(content) - n)
        q = " ".join(content[start:start + n])
        if q in seen:
            continue
        seen.add(q)
        short.append((f"sq{len(short) + 1:03d}", q))
        if len(short) == N_SHORT:
            break
    write_tsv(os.path.join(out, "short.tsv"), short)

    # ---- questions
    rng = random.Random(args.seed + 2)
    order = list(range(len(docs)))
    rng.shuffle(order)
    questions, seen = [], set()
    for i in order:
        words = clean_words(docs[i]["title"])
        if not 4 <= len(words) <= 12:
            continue
        tpl = rng.choice(TEMPLATES)
        frame = len(tpl.replace("{s}", "").replace("{x}", "").split())
        two = "{s}" in tpl
        keep = min(len(words), 15 - frame)
        if frame + keep < 6:
            continue
        ws = words[:keep]
        q = tpl.format(s=ws[0], x=" ".join(ws[1:])) if two else tpl.format(x=" ".join(ws))
        q = re.sub(r"\s+", " ", q).strip()
        if not 6 <= len(q.split()) <= 15 or q in seen:
            continue
        seen.add(q)
        questions.append((f"nq{len(questions) + 1:03d}", q))
        if len(questions) == N_QUESTIONS:
            break
    write_tsv(os.path.join(out, "questions.tsv"), questions)

    print(f"{out}: {len(docs)} articles ({dropped} blank records dropped), "
          f"{len(cand)} known-item candidates, {len(ki)} known items, {len(short)} short queries, "
          f"{len(questions)} questions")


if __name__ == "__main__":
    main()
