#!/usr/bin/env python3
"""Error analysis of a NER prediction against the development set.

    python3 tools/ner_errors.py dev.conll pred.conll [TYPE] [--max N]

For the gold entities of TYPE (default ORG) that the prediction misses, a
count per kind of error (missed entirely, wrong type, wrong boundary) and
examples; then the false positives of TYPE the same way.
"""
import argparse
import collections


def read(path):
    words, tags = [], []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if parts == [""]:
            words.append("")
            tags.append("O")
            continue
        words.append(parts[0])
        tags.append(parts[-1] if len(parts) > 1 else "O")
    return words, tags


def spans(tags):
    out, i = [], 0
    while i < len(tags):
        t = tags[i]
        if t[:2] in ("B-", "I-"):
            ty, j = t[2:], i + 1
            while j < len(tags) and tags[j] == "I-" + ty:
                j += 1
            out.append((i, j, ty))
            i = j
        else:
            i += 1
    return out


def classify(s, other):
    overlap = [q for q in other if q[0] < s[1] and s[0] < q[1]]
    if not overlap:
        return "missed"
    if any(q[0] == s[0] and q[1] == s[1] for q in overlap):
        return "type " + [q for q in overlap if q[0] == s[0] and q[1] == s[1]][0][2]
    return "boundary (" + ",".join(sorted({q[2] for q in overlap})) + ")"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("type", nargs="?", default="ORG")
    ap.add_argument("--max", type=int, default=30)
    a = ap.parse_args()
    words, gold = read(a.gold)
    _, pred = read(a.pred)
    g, p = set(spans(gold)), set(spans(pred))
    for title, errs, other in (("false negatives", g - p, p), ("false positives", p - g, g)):
        errs = [s for s in errs if s[2] == a.type]
        kinds = collections.defaultdict(list)
        for s in sorted(errs):
            ctx = " ".join(words[max(0, s[0] - 2):s[0]]) + " [" + " ".join(words[s[0]:s[1]]) + "] " + " ".join(words[s[1]:s[1] + 2])
            kinds[classify(s, other)].append(ctx)
        print(f"{a.type} {title}: {len(errs)}")
        for k, v in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            print(f"  {k}: {len(v)}")
            for c in v[: a.max]:
                print("    " + c)


if __name__ == "__main__":
    main()
