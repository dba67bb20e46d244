#!/usr/bin/env python3
"""Exact-span precision, recall and F1 per entity type (CoNLL convention).

    python3 tools/eval_ner.py --write-dev ../shared/data/anercorp/ANERCorp_train.txt > dev.conll
    build/rasid ner --conll dev.conll > pred.conll
    python3 tools/eval_ner.py dev.conll pred.conll

GOLD and PRED hold one token per line with its tag in the last column
(tab- or space-separated; ANERcorp's PERS counts as PER) and blank lines
between sentences; they must list the same tokens in the same order. An
entity counts as found only when its type and both ends match (an I- tag that
does not continue an entity of its type starts one, as in conlleval).

--write-dev prints the development set that `rasid train-ner` holds out:
ANERcorp's training file split on each line's last space, lines without a
token dropped, sentences ending at ". O", from the first sentence that starts
at or after word 100,000 (--dev-first-word) to the end.
"""
import argparse
import sys


def read_tags(path):
    tokens, tags = [], []
    with open(path, encoding="utf-8-sig") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                continue
            sep = "\t" if "\t" in line else " "
            token, _, tag = line.rpartition(sep)
            tag = tag.strip().replace("PERS", "PER")
            if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
                sys.exit(f"{path}:{number}: bad tag {tag!r}")
            tokens.append(token)
            tags.append(tag)
    return tokens, tags


def spans(tags):
    out, i = set(), 0
    while i < len(tags):
        if tags[i] == "O":
            i += 1
            continue
        kind, j = tags[i][2:], i + 1
        while j < len(tags) and tags[j] == "I-" + kind:
            j += 1
        out.add((i, j, kind))
        i = j
    return out


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(gold_path, pred_path):
    gold_tokens, gold = read_tags(gold_path)
    pred_tokens, pred = read_tags(pred_path)
    if len(gold) != len(pred):
        sys.exit(f"{gold_path} has {len(gold)} tokens, {pred_path} has {len(pred)}")
    for k, (a, b) in enumerate(zip(gold_tokens, pred_tokens)):
        if a.strip() != b.strip():
            sys.exit(f"token {k + 1} differs: {a!r} in {gold_path}, {b!r} in {pred_path}")
    g, p = spans(gold), spans(pred)
    kinds = sorted({s[2] for s in g | p}, key=lambda k: ["PER", "ORG", "LOC", "MISC"].index(k)
                   if k in ("PER", "ORG", "LOC", "MISC") else 9)
    print(f"{len(gold)} tokens, {len(g)} gold entities, {len(p)} predicted")
    print(f"{'type':6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6}")
    totals = {}
    for kind in kinds:
        gk, pk = {s for s in g if s[2] == kind}, {s for s in p if s[2] == kind}
        tp = len(gk & pk)
        totals[kind] = (tp, len(pk) - tp, len(gk) - tp)
        pr, rc, f1 = prf(*totals[kind])
        print(f"{kind:6} {100 * pr:7.2f} {100 * rc:7.2f} {100 * f1:7.2f} {len(gk):6}")
    for name, members in (("all", kinds), ("PER+ORG+LOC", ["PER", "ORG", "LOC"])):
        tp = sum(totals.get(k, (0, 0, 0))[0] for k in members)
        fp = sum(totals.get(k, (0, 0, 0))[1] for k in members)
        fn = sum(totals.get(k, (0, 0, 0))[2] for k in members)
        pr, rc, f1 = prf(tp, fp, fn)
        print(f"{name:6} {100 * pr:7.2f} {100 * rc:7.2f} {100 * f1:7.2f} {tp + fn:6}")


def write_dev(path, first_word):
    sentences, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            word, _, tag = line.rpartition(" ")
            word = word.strip(" \t")
            if not word:
                continue
            tag = tag.replace("PERS", "PER")
            # An I-X that does not continue an X starts it (as rasid's reader does).
            if tag.startswith("I-") and (not cur or cur[-1][1][2:] != tag[2:]):
                tag = "B-" + tag[2:]
            cur.append((word, tag))
            if word == "." and tag == "O":
                sentences.append(cur)
                cur = []
    if cur:
        sentences.append(cur)
    words = 0
    out = sys.stdout
    for s in sentences:
        if words >= first_word:
            for word, tag in s:
                out.write(f"{word}\t{tag}\n")
            out.write("\n")
        words += len(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?")
    ap.add_argument("pred", nargs="?")
    ap.add_argument("--write-dev", metavar="ANERCORP", help="print the development set of ANERcorp's training file")
    ap.add_argument("--dev-first-word", type=int, default=100000)
    a = ap.parse_args()
    if a.write_dev:
        write_dev(a.write_dev, a.dev_first_word)
    elif a.gold and a.pred:
        evaluate(a.gold, a.pred)
    else:
        ap.error("give GOLD and PRED, or --write-dev ANERCORP")


if __name__ == "__main__":
    main()
