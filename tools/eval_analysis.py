#!/usr/bin/env python3
"""Scores `rasid analyze` against the hand-checked set tests/testdata/golden_segmentation.tsv.

    python3 tools/eval_analysis.py build/rasid tests/testdata/golden_segmentation.tsv

Runs `RASID analyze --json --no-roots` once on all the words of the set (one per line) and
prints, like tests/golden_test.cc (which computes the same figures from the library):

  * segmentation accuracy: the share of words whose proclitics, base and enclitic all equal
    the expected ones (and the share for each part);
  * stem conflation over pairs of words with different analysis forms: precision and recall
    of "same stem" against "same stem_group";
  * every disagreement.

The JSON gives proclitics, enclitic and stem but not the base, so the base is rebuilt: the
word in analysis form (normalised here as in docs/analysis.md, and checked against rasid's
`norm`) minus the written proclitics and the enclitic; before an enclitic rasid may have
restored ة for ت, ي for ا or ء for ؤ/ئ (include/rasid/analysis/clitics.h), which shows in the
stem (a base ending in ة loses it, one ending in ي or ء keeps it).

Python 3 standard library only. Exit status: 0, or 1 on bad input or when rasid fails.
"""

import argparse
import itertools
import json
import subprocess
import sys
import unicodedata
from collections import defaultdict

TEH_MARBUTA, TEH, HEH = "\u0629", "\u062A", "\u0647"
ALEF, YEH, HAMZA = "\u0627", "\u064A", "\u0621"
WAW_HAMZA, YEH_HAMZA, LAM = "\u0624", "\u0626", "\u0644"
ARTICLE = ALEF + LAM


def _removed(cp):
    """Code points the analysis normalisation deletes (docs/analysis.md, Normalisation)."""
    return (0x064B <= cp <= 0x065F or cp == 0x0670 or 0x0610 <= cp <= 0x061A
            or 0x06D6 <= cp <= 0x06DC or 0x06DF <= cp <= 0x06E8 or 0x06EA <= cp <= 0x06ED
            or 0x08D3 <= cp <= 0x08FF or cp == 0x0640  # tatweel
            or 0x200B <= cp <= 0x200F or cp == 0x061C or 0x202A <= cp <= 0x202E
            or 0x2060 <= cp <= 0x2069 or cp in (0x00AD, 0x034F, 0xFEFF))


_FOLD = {
    "\u0623": ALEF, "\u0625": ALEF, "\u0622": ALEF, "\u0671": ALEF,  # أ إ آ ٱ
    "\u0672": ALEF, "\u0673": ALEF, "\u0675": ALEF,
    "\u0649": YEH,  # ى
    "\u06A9": "\u0643", "\u06AA": "\u0643",  # ک ڪ -> ك
    "\u06CC": YEH, "\u06CD": YEH, "\u06D0": YEH, "\u06D2": YEH,  # ی ۍ ې ے
    "\u06C1": HEH, "\u06C0": HEH, "\u06D5": HEH, "\u06BE": HEH,  # ہ ۀ ە ھ
    "\u06C3": TEH_MARBUTA,  # ۃ
}


def analysis_form(word):
    """The word in rasid's analysis form: search form with ta marbuta kept."""
    out = []
    for ch in word:
        cp = ord(ch)
        if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
            ch = unicodedata.normalize("NFKC", ch).strip()
        for c in ch:
            if _removed(ord(c)):
                continue
            out.append(_FOLD.get(c, c))
    return "".join(out)


def written_proclitics(proclitics):
    """"و+ل+ال" -> "ولل": the proclitics as written at the start of a word."""
    out = ""
    for part in filter(None, proclitics.split("+")):
        if part == ARTICLE and out.endswith(LAM):
            part = LAM  # ل + ال is written لل
        out += part
    return out


def rebuild_base(form, proclitics, enclitic, stem):
    prefix = written_proclitics(proclitics)
    if not form.startswith(prefix) or not form.endswith(enclitic):
        return None
    middle = form[len(prefix):len(form) - len(enclitic)]
    if enclitic and middle:
        restored = {TEH: TEH_MARBUTA, ALEF: YEH, WAW_HAMZA: HAMZA, YEH_HAMZA: HAMZA}
        if middle[-1] in restored:
            candidate = middle[:-1] + restored[middle[-1]]
            if stem == candidate or (candidate.endswith(TEH_MARBUTA) and stem == candidate[:-1]):
                return candidate
    return middle


def load_golden(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line or line.startswith("#") or line.startswith("word\t"):
                continue
            fields = line.split("\t")
            if len(fields) == 6:
                fields.append("")
            if len(fields) != 7:
                raise ValueError(f"{path}:{n}: {len(fields)} fields, want 7")
            word, pro, base, enc, group, doc, note = fields
            rows.append(dict(line=n, word=word, proclitics=pro, base=base, enclitic=enc,
                             group=group, doc_id=doc, note=note))
    return rows


def run_rasid(rasid, words):
    """Analyses one word per line; returns, per line, the list of tokens rasid gives."""
    text = "".join(w + "\n" for w in words).encode("utf-8")
    proc = subprocess.run([rasid, "analyze", "--json", "--no-roots"], input=text,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{rasid} exited with {proc.returncode}: "
                           f"{proc.stderr.decode('utf-8', 'replace').strip()}")
    starts = list(itertools.accumulate((len(w.encode("utf-8")) + 1 for w in words), initial=0))
    per_line = [[] for _ in words]
    line = 0
    for out_line in proc.stdout.decode("utf-8").splitlines():
        tok = json.loads(out_line)
        while line + 1 < len(words) and tok["start"] >= starts[line + 1]:
            line += 1
        per_line[line].append(tok)
    return per_line


def show(pro, base, enc):
    return f"[{pro}] {base} [{enc}]"


def analyse(rows, per_line):
    """Fills each row with rasid's analysis (got_*, form); returns warnings."""
    warnings = []
    for row, toks in zip(rows, per_line):
        form = analysis_form(row["word"])
        row["form"] = form
        words = [t for t in toks if t["kind"] == "arabic"]
        if len(toks) != 1 or len(words) != 1:
            warnings.append(f"line {row['line']}: {row['word']} gave {len(toks)} tokens "
                            f"({' '.join(t['text'] for t in toks)}); counted as wrong")
            row.update(got_pro=None, got_base=None, got_enc=None,
                       stem=" ".join(t["stem"] for t in toks))
            continue
        t = words[0]
        if form.replace(TEH_MARBUTA, HEH) != t["norm"]:
            warnings.append(f"line {row['line']}: analysis form {form} does not match rasid's "
                            f"norm {t['norm']}; the rebuilt base may be wrong")
        pro, enc, stem = t.get("proclitics", ""), t.get("enclitic", ""), t["stem"]
        row.update(got_pro=pro, got_enc=enc, stem=stem,
                   got_base=rebuild_base(form, pro, enc, stem))
    return warnings


def segmentation(rows):
    exact = pro = base = enc = 0
    print("Segmentation disagreements (line: word  expected -> rasid):")
    for r in rows:
        p_ok = r["got_pro"] == r["proclitics"]
        b_ok = r["got_base"] == r["base"]
        e_ok = r["got_enc"] == r["enclitic"]
        pro, base, enc = pro + p_ok, base + b_ok, enc + e_ok
        if p_ok and b_ok and e_ok:
            exact += 1
            continue
        got = show(r["got_pro"], r["got_base"], r["got_enc"]) if r["got_pro"] is not None else "?"
        print(f"  {r['line']}: {r['word']}  {show(r['proclitics'], r['base'], r['enclitic'])}"
              f" -> {got}  ({r['note']})")
    n = len(rows)
    print(f"segmentation accuracy: {exact / n:.3f} ({exact}/{n}); proclitics {pro / n:.3f}, "
          f"base {base / n:.3f}, enclitic {enc / n:.3f}")


def print_parts(key, parts):
    print(f"  {key}:" + "".join(f" {k}{{{' '.join(v)}}}" for k, v in sorted(parts.items())))


def conflation(rows):
    tp = fp = fn = 0
    for a, b in itertools.combinations(rows, 2):
        if a["form"] == b["form"]:
            continue  # same letters: no stemmer can tell them apart
        same_group, same_stem = a["group"] == b["group"], a["stem"] == b["stem"]
        tp += same_group and same_stem
        fp += (not same_group) and same_stem
        fn += same_group and not same_stem
    by_group, by_stem = defaultdict(lambda: defaultdict(list)), defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_group[r["group"]][r["stem"]].append(r["word"])
        by_stem[r["stem"]][r["group"]].append(r["word"])
    print("Groups split over several stems (group: stem{words} ...):")
    for group in sorted(by_group):
        if len(by_group[group]) > 1:
            print_parts(group, by_group[group])
    print("Stems shared by several groups (stem: group{words} ...):")
    for stem in sorted(by_stem):
        if len(by_stem[stem]) > 1:
            print_parts(stem, by_stem[stem])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"stem conflation over pairs: precision {precision:.3f}, recall {recall:.3f}, "
          f"F1 {f1:.3f} (TP {tp}, FP {fp}, FN {fn})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rasid", help="the rasid executable, e.g. build/rasid")
    ap.add_argument("golden", help="tests/testdata/golden_segmentation.tsv")
    args = ap.parse_args()
    try:
        rows = load_golden(args.golden)
        if not rows:
            raise ValueError(f"{args.golden}: no words")
        per_line = run_rasid(args.rasid, [r["word"] for r in rows])
    except (OSError, ValueError, RuntimeError) as e:
        print(f"eval_analysis: {e}", file=sys.stderr)
        return 1
    for w in analyse(rows, per_line):
        print("warning: " + w, file=sys.stderr)
    segmentation(rows)
    conflation(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
