#!/usr/bin/env python3
"""API tests of `rasid serve` against a running server on a free loopback port.

    python3 tests/server_api_test.py path/to/rasid TESTDATA_DIR

Builds a small index from TESTDATA_DIR/ant_sample.jsonl, starts the server
(--port 0: it prints the port it got), and checks every endpoint, the error
codes and limits, ingest with and without the token, that searches follow an
ingest and keep working during one, that no file outside the static folder is
ever served, and a clean stop on SIGTERM and SIGINT. Python standard library only.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

RASID, TESTDATA = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail) if detail != "" else ""))


class Server:
    def __init__(self, index, *args):
        self.proc = subprocess.Popen([RASID, "serve", index, "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError("server did not start: " + line + self.proc.stderr.read())
        self.port = int(m.group(1))

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def get_json(self, path):
        status, headers, data = self.request("GET", path)
        try:
            return status, json.loads(data), headers
        except ValueError:
            return status, {"not json": data[:200]}, headers

    def raw(self, request_bytes):
        """Sends bytes as they are (no client-side path normalisation)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.sendall(request_bytes)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
        s.close()
        return out

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def q(s):
    return urllib.parse.quote(s, safe="")


def main():
    tmp = tempfile.mkdtemp(prefix="rasid_api_")
    index = os.path.join(tmp, "index")
    subprocess.run([RASID, "ingest", "-q", index, os.path.join(TESTDATA, "ant_sample.jsonl")], check=True)
    srv = Server(index, "--write-token", "s3cret", "--max-body-mb", "2")
    try:
        run_checks(srv, tmp)
    finally:
        code = srv.stop(signal.SIGTERM)
        check("SIGTERM stops the server cleanly (exit 0)", code == 0, code)
    # Without a write token ingest is refused; SIGINT stops cleanly too.
    srv2 = Server(index)
    status, body, _ = srv2.get_json("/api/health")
    check("second server on another free port", status == 200)
    status, _, data = srv2.request("POST", "/api/ingest", b'{"id":"z","text":"x"}\n',
                                   {"Authorization": "Bearer s3cret"})
    check("ingest refused without --write-token (403)", status == 403 and b"--write-token" in data, (status, data))
    code = srv2.stop(signal.SIGINT)
    check("SIGINT stops the server cleanly (exit 0)", code == 0, code)
    subprocess.run(["rm", "-rf", tmp])


def run_checks(srv, tmp):
    # ------------------------------------------------------------ health, search
    status, h, _ = srv.get_json("/api/health")
    check("health", status == 200 and h["status"] == "ok" and h["documents"] == 12, h)

    status, r, headers = srv.get_json("/api/search?q=" + q("مغني OR فنانة OR لوحات") + "&k=3")
    check("search 200", status == 200, r)
    check("search JSON content type", headers.get("content-type", "").startswith("application/json"), headers)
    check("search total and hits", r["total"] >= 3 and len(r["hits"]) == 3, r.get("total"))
    hit = r["hits"][0]
    check("hit fields as in rasid search --json",
          list(hit.keys()) == ["id", "score", "title", "date", "source", "category", "url", "snippet", "highlights"],
          list(hit.keys()))
    ok = True
    for h_ in r["hits"]:
        b = h_["snippet"].encode()
        for s, e in h_["highlights"]:
            ok = ok and 0 <= s < e <= len(b) and b[s:e].decode("utf-8", "strict") != ""
    check("highlights are UTF-8 byte spans of the snippet", ok)
    check("facets", {"source", "category", "year", "month"} <= set(r["facets"].keys()), r["facets"].keys())
    status, r2, _ = srv.get_json("/api/search?q=" + q("مغني OR فنانة OR لوحات") + "&k=3&page=2")
    check("page 2 differs", status == 200 and [x["id"] for x in r2["hits"]] != [x["id"] for x in r["hits"]])
    status, r3, _ = srv.get_json("/api/search?q=" + q("فنانة source:BBC"))
    check("filters through the query language",
          status == 200 and r3["total"] >= 1 and all(x["source"] == "BBC" for x in r3["hits"]), r3)
    status, r4, _ = srv.get_json("/api/search?q=" + q("مغني فنانة") + "&and=1")
    status5, r5, _ = srv.get_json("/api/search?q=" + q("مغني فنانة"))
    check("and=1 narrows", status == 200 and r4["total"] <= r5["total"], (r4.get("total"), r5.get("total")))
    status, r6, _ = srv.get_json("/api/search?q=" + q("لوحات") + "&exact=1")
    check("exact=1", status == 200, r6)

    # A second server on the same port fails (no SO_REUSEPORT sharing).
    try:
        second = subprocess.run([RASID, "serve", os.path.join(tmp, "index"), "--port", str(srv.port)],
                                 capture_output=True, text=True, timeout=20)
        check("a second server on a port in use exits 5", second.returncode == 5 and "cannot listen" in second.stderr,
              (second.returncode, second.stderr))
    except subprocess.TimeoutExpired:
        check("a second server on a port in use exits 5", False, "it started")

    # ------------------------------------------------------------ errors and limits
    status, e, _ = srv.get_json("/api/search?q=" + q("(غزة"))
    check("bad query: 400 with the parser's message",
          status == 400 and e == {"error": "query: unbalanced parenthesis at byte 0"}, (status, e))
    status, e, _ = srv.get_json("/api/search")
    check("missing q: 400", status == 400 and "error" in e, (status, e))
    status, e, _ = srv.get_json("/api/search?q=x&k=0")
    check("k=0: 400", status == 400, (status, e))
    status, e, _ = srv.get_json("/api/search?q=x&k=abc")
    check("k=abc: 400", status == 400, (status, e))
    status, e, _ = srv.get_json("/api/search?q=x&k=100&page=101")
    check("page depth beyond offset + k = 10000: 400", status == 400 and "10000" in e["error"], (status, e))
    status, e, _ = srv.get_json("/api/search?q=x&k=100&page=100")
    check("page depth at the limit: 200", status == 200, (status, e))
    status, e, _ = srv.get_json("/api/search?q=" + "a" * 5000)
    check("query over 4096 bytes: 400", status == 400 and e["error"] == "query: longer than 4096 bytes", (status, e))
    status, e, _ = srv.get_json("/api/search?q=" + "a" * 9000)
    check("request line over 8 KiB: 414 JSON", status == 414 and "error" in e, (status, e))
    status, e, _ = srv.get_json("/api/search?q=" + q("غزة") + "%ff%fe")
    check("invalid UTF-8 in the query: 400", status == 400 and "UTF-8" in e["error"], (status, e))
    status, e, _ = srv.get_json("/api/nothing")
    check("unknown endpoint: 404 JSON", status == 404 and "error" in e, (status, e))
    status, _, data = srv.request("POST", "/api/search", b"x")
    check("POST to a GET endpoint: 404 JSON", status == 404 and b"error" in data, (status, data))
    status, _, data = srv.request("GET", "/api/ingest")
    check("GET /api/ingest: 405", status == 405, (status, data))

    # ------------------------------------------------------------ documents
    status, d, _ = srv.get_json("/api/doc/BB-culture-132-20180428?q=" + q("لوحات"))
    check("doc 200", status == 200 and d["id"] == "BB-culture-132-20180428", d)
    text = d["text"].encode()
    ann = d.get("annotations", {})
    spans_ok = all(text[a["start"]:a["end"]].decode() == a["text"] for k in ("entities", "numbers", "dates", "quotes")
                   for a in ann.get(k, []))
    check("doc annotations: entities, numbers, dates, quotes with byte spans of the text",
          d.get("annotations_available") is True and set(ann) == {"entities", "numbers", "dates", "quotes"}
          and len(ann["entities"]) > 0 and spans_ok, ann)
    check("doc highlights are byte spans of the text",
          len(d["highlights"]) > 0 and all(text[s:e].decode().startswith("لوح") for s, e in d["highlights"]),
          [text[s:e].decode() for s, e in d["highlights"]])
    status, e, _ = srv.get_json("/api/doc/no-such-id")
    check("doc 404", status == 404 and e == {"error": "no article with id 'no-such-id'"}, (status, e))

    # ------------------------------------------------------------ timeline, entities
    status, t, _ = srv.get_json("/api/timeline?q=" + q("source:alarabia OR source:BBC") + "&interval=month")
    check("timeline by month", status == 200 and [b["count"] for b in t["buckets"]] == [5, 0, 7], t)
    status, t, _ = srv.get_json("/api/timeline?q=" + q("source:BBC") + "&interval=week")
    check("timeline by week (Monday starts)", status == 200 and t["buckets"][0]["start"] == "2018-04-02", t)
    status, t, _ = srv.get_json("/api/timeline?q=" + q("source:BBC") + "&interval=day")
    check("timeline by day", status == 200 and t["buckets"][0] == {"start": "2018-04-07", "end": "2018-04-07",
                                                                    "count": 1}, t)
    status, e, _ = srv.get_json("/api/timeline?q=x&interval=year")
    check("timeline bad interval: 400", status == 400, (status, e))
    status, e, _ = srv.get_json("/api/entities?limit=3")
    check("entities of the index", status == 200 and e["available"] is True and len(e["entities"]) > 0
          and all(x["type"] in ("person", "organization", "place") for x in e["entities"]), e)
    if status == 200 and e["entities"]:
        x = e["entities"][0]
        status, r, _ = srv.get_json("/api/search?q=" + q(x["query"]))
        check("an entity's query finds the articles it counts", status == 200 and r["total"] == x["count"],
              (x, r.get("total")))
        status, t, _ = srv.get_json("/api/timeline?entity=" + q(x["text"]) + "&type=" + x["type"])
        check("an entity's timeline", status == 200 and sum(b["count"] for b in t["buckets"]) == t["dated"]
              and t["total"] == x["count"], t)
    status, e, _ = srv.get_json("/api/entities?q=" + q("source:BBC") + "&type=place")
    check("entities of a query, by type", status == 200 and all(x["type"] == "place" for x in e["entities"]), e)

    # ------------------------------------------------------------ ingest
    body = ('{"id":"api/1 x","title":"<img src=x onerror=alert(1)>","text":"زلزال قوي يضرب المدينة الساحلية",'
            '"date":"2019-03-04","source":"test"}\nnot json\n{"id":"api-2","text":"زلزال ثان"}\n').encode()
    status, headers, data = srv.request("POST", "/api/ingest", body)
    check("ingest without token: 401", status == 401 and headers.get("www-authenticate", "").startswith("Bearer"),
          (status, data))
    status, _, data = srv.request("POST", "/api/ingest", body, {"Authorization": "Bearer wrong"})
    check("ingest with a wrong token: 403", status == 403, (status, data))
    status, _, data = srv.request("POST", "/api/ingest", body, {"Authorization": "Bearer s3cret",
                                                                 "Content-Type": "application/x-ndjson"})
    rep = json.loads(data)
    check("ingest with the token", status == 200 and rep["documents"] == 2 and rep["bad_records"] == 1
          and rep["errors"][0]["line"] == 2, (status, rep))
    status, r, _ = srv.get_json("/api/search?q=" + q("زلزال"))
    check("search follows the ingest at once", status == 200 and r["total"] == 2, r.get("total"))
    status, d, _ = srv.get_json("/api/doc/" + q("api/1 x"))
    check("doc id with a slash and a space", status == 200 and d["title"] == "<img src=x onerror=alert(1)>", d)
    status, _, data = srv.request("POST", "/api/ingest", b"", {"Authorization": "Bearer s3cret"})
    check("empty ingest body: 400", status == 400, (status, data))
    status, _, data = srv.request("POST", "/api/ingest", b"x" * (2560 * 1024), {"Authorization": "Bearer s3cret"})
    check("body over --max-body-mb: 413 JSON", status == 413 and json.loads(data)["error"].startswith("body too large"),
          (status, data[:200]))

    # Searches keep working while an ingest runs (and see it when it is done).
    lines = "".join(json.dumps({"id": "bulk-%d" % i, "title": "خبر رقم %d" % i,
                                "text": "نص تجريبي عن الاقتصاد والأسواق والحكومة " * 20, "date": "2018-05-01"},
                               ensure_ascii=False) + "\n" for i in range(1200)).encode()
    results = {}

    def ingest():
        results["ingest"] = srv.request("POST", "/api/ingest", lines, {"Authorization": "Bearer s3cret"})[0]
    th = threading.Thread(target=ingest)
    th.start()
    statuses = []
    t0 = time.time()
    while True:  # at least one search, however fast the ingest
        statuses.append(srv.get_json("/api/search?q=" + q("فنانة"))[0])
        if not th.is_alive() or time.time() - t0 > 120:
            break
    th.join()
    check("searches during an ingest all answer 200", statuses and all(s == 200 for s in statuses),
          (len(statuses), set(statuses)))
    check("the big ingest succeeded", results.get("ingest") == 200, results)
    status, r, _ = srv.get_json("/api/search?q=" + q("الاقتصاد") + "&k=1")
    check("its documents are searchable", r["total"] >= 1200, r.get("total"))

    # An ingest by the command line beside the server: seen within a second or so
    # (the server looks for a new commit at most once a second).
    side = os.path.join(tmp, "side.jsonl")
    with open(side, "w") as f:
        f.write(json.dumps({"id": "side-1", "text": "بركان يثور في الجزيرة", "date": "2018-06-01"},
                           ensure_ascii=False) + "\n")
    subprocess.run([RASID, "ingest", "-q", os.path.join(tmp, "index"), side], check=True)
    found, t0 = 0, time.time()
    while time.time() - t0 < 10 and not found:
        found = srv.get_json("/api/search?q=" + q("بركان"))[1].get("total", 0)
        if not found:
            time.sleep(0.1)
    check("search follows an ingest made by rasid ingest beside the server", found == 1,
          "after %.1f s" % (time.time() - t0))

    # Many requests at once.
    errors = []

    def worker():
        for _ in range(20):
            s = srv.get_json("/api/search?q=" + q("الحكومة OR فنانة"))[0]
            if s != 200:
                errors.append(s)
    ths = [threading.Thread(target=worker) for _ in range(16)]
    for x in ths:
        x.start()
    for x in ths:
        x.join()
    check("320 concurrent searches, all 200", not errors, errors[:5])

    # ------------------------------------------------------------ static files
    status, headers, data = srv.request("GET", "/")
    check("page served", status == 200 and b'dir="rtl"' in data and b'lang="ar"' in data, status)
    check("page has a content security policy", "script-src 'self'" in headers.get("content-security-policy", ""))
    status, headers, _ = srv.request("GET", "/app.js")
    check("script served as JavaScript", status == 200 and headers["content-type"].startswith("text/javascript"))
    for path in [b"/../../../../etc/passwd", b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd", b"/..%2f..%2f..%2fetc%2fpasswd",
                 b"/fonts/../../CMakeLists.txt", b"/%2e%2e/CMakeLists.txt", b"/..\\..\\etc\\passwd",
                 b"//etc/passwd", b"/.stamp", b"/%00", b"/index.html%00.js", b"/fonts/", b"/./index.html",
                 b"/fonts/%2e%2e/%2e%2e/CMakeLists.txt", b"/%252e%252e/CMakeLists.txt",
                 b"/web/../../CMakeLists.txt"]:
        out = srv.raw(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = out.split(b"\r\n", 1)[0]
        check("no traversal: " + path.decode(),
              b" 200 " not in head and b"root:" not in out and b"cmake_minimum_required" not in out, head)

    # ------------------------------------------------------------ metrics
    status, headers, data = srv.request("GET", "/metrics")
    text = data.decode()
    check("metrics in Prometheus text format", status == 200 and headers["content-type"].startswith("text/plain"))
    for want in ['rasid_http_requests_total{route="/api/search",code="200"}',
                 'rasid_http_requests_total{route="/api/search",code="400"}',
                 'rasid_http_requests_total{route="/api/ingest",code="401"}',
                 'rasid_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"}',
                 "rasid_index_documents 1215", 'rasid_ingest_requests_total{result="ok"} 2',
                 "rasid_ingest_documents_total 1202"]:
        check("metrics: " + want, want in text, want)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a crash of the test is a failure, not a silent pass
        import traceback
        traceback.print_exc()
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
