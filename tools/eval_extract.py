#!/usr/bin/env python3
"""Precision and recall of `rasid extract` on tests/testdata/extract_cases.tsv.

  python3 tools/eval_extract.py [--rasid build/rasid] [--cases tests/testdata/extract_cases.tsv]

Runs the command once over all cases (--lines, one JSON object per case with
its text, date and country), then matches system mentions to expected ones
per type. Two criteria: "exact" (same span, type and value, and the unit,
approx, min, max, ambiguous, grain and hijri the case gives) and "span" (same
span and type only). Splits: dev (cases with status ok or xfail: written while
the rules were developed) and heldout (annotated afterwards, not tuned on).
Prints a Markdown table per split.
"""
import argparse
import collections
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = ['cardinal', 'ordinal', 'percent', 'money', 'quantity', 'date', 'time', 'interval']


def load(path):
    cases = []
    for line in open(path, encoding='utf-8'):
        if not line.strip() or line.startswith('#'):
            continue
        cid, source, options, status, text, expected = line.rstrip('\n').split('\t')
        opts = dict(kv.split('=', 1) for kv in options.split() if '=' in kv)
        cases.append(dict(id=cid, status=status, text=text, opts=opts, expected=json.loads(expected)))
    return cases


def spans(text, items):
    tb = text.encode('utf-8')
    out = []
    for e in items:
        sub = e['text'].encode('utf-8')
        pos = -1
        for _ in range(e.get('nth', 0) + 1):
            pos = tb.find(sub, pos + 1)
        out.append((pos, pos + len(sub)))
    return out


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def exact(e, m):
    if e['type'] != m['type']:
        return False
    if e['type'] in ('date', 'time', 'interval'):
        if (e['value'] or None) != m.get('value'):
            return False
        return all(e[k] == m.get(k) for k in ('grain', 'hijri') if k in e)
    if not close(e['value'], m['value']) or e.get('unit', '') != m.get('unit', ''):
        return False
    if bool(e.get('approx')) != bool(m.get('approx')) or bool(e.get('ambiguous')) != bool(m.get('ambiguous')):
        return False
    for k in ('min', 'max'):
        if (k in e) != (k in m) or (k in e and not close(e[k], m[k])):
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rasid', default=os.path.join(HERE, '..', 'build', 'rasid'))
    ap.add_argument('--cases', default=os.path.join(HERE, '..', 'tests', 'testdata', 'extract_cases.tsv'))
    args = ap.parse_args()
    cases = load(args.cases)
    lines = []
    for c in cases:
        obj = {'text': c['text']}
        if 'date' in c['opts']:
            obj['date'] = c['opts']['date']
        if 'country' in c['opts']:
            obj['country'] = c['opts']['country']
        lines.append(json.dumps(obj, ensure_ascii=False))
    run = subprocess.run([args.rasid, 'extract', '--lines', '--json'], input='\n'.join(lines) + '\n',
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit('rasid extract failed: ' + run.stderr)
    results = {}
    for line in run.stdout.splitlines():
        d = json.loads(line)
        results[d['line'] - 1] = d['numbers'] + d['dates']
    counts = {}  # (split, criterion, type) -> [tp, fp, fn]
    for i, c in enumerate(cases):
        split = 'heldout' if c['status'] == 'heldout' else 'dev'
        got = results.get(i, [])
        want = c['expected']
        wspans = spans(c['text'], want)
        for crit in ('exact', 'span'):
            used = [False] * len(got)
            for e, (s, t) in zip(want, wspans):
                k = None
                for j, m in enumerate(got):
                    if not used[j] and m['start'] == s and m['end'] == t and m['type'] == e['type'] and (
                            crit == 'span' or exact(e, m)):
                        k = j
                        break
                cell = counts.setdefault((split, crit, e['type']), [0, 0, 0])
                if k is None:
                    cell[2] += 1
                else:
                    used[k] = True
                    cell[0] += 1
            for j, m in enumerate(got):
                if not used[j]:
                    counts.setdefault((split, crit, m['type']), [0, 0, 0])[1] += 1
    for split in ('dev', 'heldout'):
        n = sum(1 for c in cases if (c['status'] == 'heldout') == (split == 'heldout'))
        print(f'\n{split} ({n} cases)\n')
        print('| type | gold | exact P | exact R | exact F1 | span P | span R |')
        print('|---|---|---|---|---|---|---|')
        tot = {crit: [0, 0, 0] for crit in ('exact', 'span')}
        for t in TYPES:
            row = [t]
            for crit in ('exact', 'span'):
                tp, fp, fn = counts.get((split, crit, t), [0, 0, 0])
                for k, v in enumerate((tp, fp, fn)):
                    tot[crit][k] += v
                p = tp / (tp + fp) if tp + fp else float('nan')
                r = tp / (tp + fn) if tp + fn else float('nan')
                f = 2 * p * r / (p + r) if tp else 0.0
                if crit == 'exact':
                    row += [str(tp + fn), f'{p:.3f}', f'{r:.3f}', f'{f:.3f}']
                else:
                    row += [f'{p:.3f}', f'{r:.3f}']
            print('| ' + ' | '.join(row) + ' |')
        row = ['**all**']
        for crit in ('exact', 'span'):
            tp, fp, fn = tot[crit]
            p, r = tp / (tp + fp), tp / (tp + fn)
            if crit == 'exact':
                row += [str(tp + fn), f'{p:.3f}', f'{r:.3f}', f'{2 * p * r / (p + r):.3f}']
            else:
                row += [f'{p:.3f}', f'{r:.3f}']
        print('| ' + ' | '.join(row) + ' |')


if __name__ == '__main__':
    main()
