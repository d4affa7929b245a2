"""Recall and precision of the archive's search, measured in headless Chromium,
side by side with plain Pagefind (`pagefind[extended]`, Thai) on the same pages.

    python benchmarks/search_recall.py                 # content/, corpus, 5,000 synthetic
    python benchmarks/search_recall.py --only corpus
    python benchmarks/search_recall.py --only synthetic --n 5000 --no-pagefind

For every query, the reports that truly contain it are computed from the
reports' own text (title and body from the Markdown source, plus the names of
the report's provinces, agencies and programs shown on its page): a report
contains a query when every space-separated part of it occurs in that text,
compared case-insensitively with Thai and Arabic digits equal. That set is
compared with what each search returns in the browser.

"real" is the archive's content/; "corpus" is the development corpus
(shared/corpus: 34 real report texts from 31 sites, with their gold metadata)."""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests", ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import markdown  # noqa: E402

from plugins.search.indexer import html_to_text  # noqa: E402
from support import CHROMIUM, CHROMIUM_ARGS, CORPUS, serve_dir  # noqa: E402
from thaireports.reportfile import parse_report, render_report  # noqa: E402
from thaireports.thaitext import search_form  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "search"

# Single words that occur inside longer runs, unspaced multi-word runs,
# province and agency names, English names, years in Thai and Arabic digits,
# and several words (which must all occur).
QUERIES = [
    "ทุจริต", "คุณธรรม", "ธรรมนูญ", "เครือข่าย", "ต่อต้าน", "สุจริต", "ธรรมาภิบาล",
    "ปราบปราม", "การป้องกัน", "โปร่งใส", "สุขภาวะ", "เยาวชน", "ประชาคม", "จิตอาสา",
    "ธรรมนูญตำบล", "จังหวัดคุณธรรม", "ตำบลสีขาว", "ป.ป.ช.", "ป.ป.ท.", "ชุมชนคุณธรรม",
    "สภาองค์กรชุมชน", "ต่อต้านการทุจริต", "ชมรมstrong",
    "พิษณุโลก", "เชียงราย", "นครศรีธรรมราช", "อุบลราชธานี", "กรุงเทพมหานคร", "เพชรบูรณ์",
    "ศูนย์คุณธรรม", "สถาบันพัฒนาองค์กรชุมชน", "สำนักงานคณะกรรมการสุขภาพแห่งชาติ",
    "NACC", "Chiang Rai", "Moral Center", "STRONG", "CODI",
    "๒๕๖๗", "๒๕๖๕", "๒๕๖๐", "2566",
    "ทุจริต เชียงราย", "ธรรมนูญ ตำบล",
]
FIRST_QUERY = "ทุจริต"


# --- archives -------------------------------------------------------------

def real_content(work: Path) -> Path:
    """content/ if it has reports, else the development corpus."""
    if list((ROOT / "content" / "reports").rglob("*.md")):
        return ROOT / "content"
    return corpus_content(work)


def corpus_content(work: Path) -> Path:
    """Reports made from the development corpus's real texts and gold records."""
    out = work / "real-content"
    shutil.rmtree(out, ignore_errors=True)
    for txt in sorted(CORPUS.glob("*.txt")):
        gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        date = gold.get("date") or "2012-01-01"
        meta = {
            "Title": gold["title"], "Date": date,
            "Provinces": ", ".join(gold.get("provinces") or []),
            "Agencies": ", ".join(gold.get("agencies") or []),
            "Programs": ", ".join(gold.get("programs") or []),
            "Slug": f"{date}-corpus-{txt.stem}",
        }
        body = "\n\n".join(line.strip() for line in txt.read_text(encoding="utf-8").splitlines()
                           if line.strip())
        # Markdown would read `*`, `_` and `#` in scraped text as markup.
        body = body.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")
        path = out / "reports" / date[:4] / f"{txt.stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_report(meta, body), encoding="utf-8")
    return out


def synthetic_content(work: Path, n: int) -> Path:
    from corpus import generate

    out = work / f"corpus-{n}"
    if not (out / "reports").exists():
        generate(n, out)
    return out


# The plugins the search page depends on; images, exports and sanitizing
# change nothing in the index and only slow the benchmark down.
PLUGINS = ["facets", "sitetheme", "search"]


def build(content: Path, output: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pelican", str(content), "-o", str(output),
                    "-s", str(ROOT / "pelicanconf.py"), "-e",
                    f'CACHE_PATH="{output.parent / (output.name + "-cache")}"',
                    f"PLUGINS={json.dumps(PLUGINS)}"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def pagefind(site: Path) -> float:
    start = time.perf_counter()
    shutil.rmtree(site / "_pagefind", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob",
                    "reports/**/*.html", "--root-selector", "main", "--force-language", "th", "--output-subdir", "_pagefind",
                    "--silent"], check=True)
    return time.perf_counter() - start


# --- ground truth ---------------------------------------------------------

def index_docs(site: Path) -> dict[int, dict]:
    return {int(p.stem): json.loads(p.read_text(encoding="utf-8"))
            for p in (site / "search" / "index" / "d").glob("*.json")}


def report_texts(content: Path, docs: dict[int, dict]) -> dict[str, str]:
    """URL → normalized text of each published report, from its Markdown."""
    names = {d["u"]: d.get("n", []) for d in docs.values()}
    md = markdown.Markdown(extensions=["extra"])
    out = {}
    for path in sorted((content / "reports").rglob("*.md")):
        rep = parse_report(path.read_text(encoding="utf-8"))
        if (rep.get("status") or "published").lower() != "published":
            continue
        slug = rep.get("slug") or path.stem
        url = f"reports/{rep.get('date')[:4]}/{slug}/"
        body = html_to_text(md.reset().convert(rep.body))
        out[url] = search_form("\n".join([rep.get("title") or "", body, *names.get(url, [])]))
    missing = set(names) - set(out)
    if missing:
        raise SystemExit(f"{len(missing)} indexed reports have no source, e.g. {sorted(missing)[:3]}")
    return out


def truth(texts: dict[str, str], query: str) -> set[str]:
    terms = search_form(query).split(" ")
    return {u for u, t in texts.items() if all(term in t for term in terms)}


# --- the browser ----------------------------------------------------------

OURS_JS = """async (q) => {
  await window.archiveSearch.ready;
  const t0 = performance.now();
  const first = await window.archiveSearch.run(q, {});
  const t1 = performance.now();
  const again = await window.archiveSearch.run(q, {});
  const t2 = performance.now();
  return {ids: first.ids, first_ms: t1 - t0, warm_ms: t2 - t1, same: again.ids.length === first.ids.length};
}"""

PAGEFIND_JS = """async ([base, q]) => {
  if (!window.__pf) { window.__pf = await import(base + '/_pagefind/pagefind.js'); await window.__pf.init(); }
  const t0 = performance.now();
  const r = await window.__pf.search(q);
  const t1 = performance.now();
  const again = await window.__pf.search(q);
  const t2 = performance.now();
  return {ids: r.results.map(x => x.id), first_ms: t1 - t0, warm_ms: t2 - t1};
}"""


def pagefind_urls(site: Path) -> dict[str, str]:
    out = {}
    for frag in (site / "_pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(frag.read_bytes()).decode("utf-8")
        data = json.loads(raw[raw.index("{"):])   # after Pagefind's signature
        out[frag.stem] = data["url"].lstrip("/")
    return out


def first_query_bytes(browser, url: str, ready_js: str) -> dict[str, int]:
    """Bytes of every response loading `url` until results show."""
    ctx = browser.new_context()
    page = ctx.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url)
    page.wait_for_function(f"() => ({ready_js})", timeout=120_000)   # a function: the CSP forbids eval
    page.wait_for_load_state("networkidle")
    sizes = {r.url: len(r.body()) for r in responses if r.ok}
    ctx.close()
    return {"total": sum(sizes.values()),
            "index": sum(v for k, v in sizes.items() if "/search/index/" in k or "/_pagefind/" in k),
            "requests": len(sizes)}


def measure(name: str, content: Path, work: Path, with_pagefind: bool) -> dict:
    from playwright.sync_api import sync_playwright

    site = work / f"site-{name}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(work / f"site-{name}-cache", ignore_errors=True)
    build_s = build(content, site)
    docs = index_docs(site)
    urls = {i: d["u"] for i, d in docs.items()}
    texts = report_texts(content, docs)
    index_bytes = sum(p.stat().st_size for p in (site / "search" / "index").rglob("*") if p.is_file())
    result = {"name": name, "reports": len(docs), "build_s": build_s, "index_bytes": index_bytes,
              "index_files": sum(1 for p in (site / "search" / "index").rglob("*") if p.is_file()),
              "queries": []}
    if with_pagefind:
        result["pagefind_s"] = pagefind(site)
        result["pagefind_bytes"] = sum(p.stat().st_size for p in (site / "_pagefind").rglob("*") if p.is_file())
        pf_urls = pagefind_urls(site)

    with serve_dir(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/search/")
        for q in QUERIES:
            want = truth(texts, q)
            r = page.evaluate(OURS_JS, q)
            got = {urls[i] for i in r["ids"]}
            row = {"q": q, "truth": len(want), "ours": score(want, got),
                   "ours_first_ms": r["first_ms"], "ours_warm_ms": r["warm_ms"]}
            if with_pagefind:
                p = page.evaluate(PAGEFIND_JS, [base, q])
                row["pagefind"] = score(want, {pf_urls.get(i, i) for i in p["ids"]})
                row["pf_first_ms"] = p["first_ms"]
                row["pf_warm_ms"] = p["warm_ms"]
            result["queries"].append(row)
            print(fmt_row(row, with_pagefind), flush=True)
        page.close()
        result["first_query"] = first_query_bytes(
            browser, f"{base}/search/?q={FIRST_QUERY}",
            "document.querySelector('#search').dataset.count !== undefined"
            " && document.querySelectorAll('.search-result').length > 0")
        if with_pagefind:
            result["pf_first_query"] = pagefind_first_bytes(browser, base)
        browser.close()
    return result


def pagefind_first_bytes(browser, base: str) -> dict[str, int]:
    """Pagefind's bytes for the same first query, loading the first 20
    results' data as a result list would."""
    ctx = browser.new_context()
    page = ctx.new_page()
    responses = []
    page.goto(f"{base}/search/")
    page.wait_for_load_state("networkidle")
    page.on("response", lambda r: responses.append(r))
    page.evaluate("""async ([base, q]) => {
      const pf = await import(base + '/_pagefind/pagefind.js'); await pf.init();
      const r = await pf.search(q);
      await Promise.all(r.results.slice(0, 20).map(x => x.data()));
    }""", [base, FIRST_QUERY])
    page.wait_for_load_state("networkidle")
    sizes = {r.url: len(r.body()) for r in responses if r.ok}
    ctx.close()
    return {"total": sum(sizes.values()), "index": sum(sizes.values()), "requests": len(sizes)}


def score(want: set[str], got: set[str]) -> dict:
    hit = len(want & got)
    return {"hit": hit, "got": len(got),
            "recall": hit / len(want) if want else (1.0 if not got else 0.0),
            "precision": hit / len(got) if got else (1.0 if not want else 0.0)}


def fmt_row(row: dict, with_pagefind: bool) -> str:
    o = row["ours"]
    s = (f"{row['q'][:22]:<24}{row['truth']:>6}  {o['recall']:>6.3f} {o['precision']:>6.3f}"
         f" {row['ours_warm_ms']:>7.1f} {row['ours_first_ms']:>7.1f}")
    if with_pagefind:
        p = row["pagefind"]
        s += f"  | {p['recall']:>6.3f} {p['precision']:>6.3f} {p['got']:>6} {row['pf_first_ms']:>8.1f}"
    return s


def summary(res: dict, with_pagefind: bool) -> str:
    rows = res["queries"]
    lines = [f"\n== {res['name']}: {res['reports']} reports, build {res['build_s']:.1f} s, "
             f"index {res['index_bytes'] / 1024:.0f} kB in {res['index_files']} files"]

    def overall(key):
        hit = sum(r[key]["hit"] for r in rows)
        want = sum(r["truth"] for r in rows)
        got = sum(r[key]["got"] for r in rows)
        scored = [r for r in rows if r["truth"]]
        return (hit / want if want else 1.0, hit / got if got else 1.0,
                min(r[key]["recall"] for r in scored) if scored else 1.0,
                min(r[key]["precision"] for r in rows if r[key]["got"]) if any(r[key]["got"] for r in rows) else 1.0)
    r, p, rmin, pmin = overall("ours")
    lines.append(f"ours:     recall {r:.3f} (min per query {rmin:.3f})  precision {p:.3f} (min {pmin:.3f})")
    warm = [q["ours_warm_ms"] for q in rows]
    first = [q["ours_first_ms"] for q in rows]
    lines.append(f"          query latency warm median {statistics.median(warm):.1f} ms, max {max(warm):.1f} ms;"
                 f" with shard fetches median {statistics.median(first):.1f} ms, max {max(first):.1f} ms")
    fq = res["first_query"]
    lines.append(f"          first query '{FIRST_QUERY}' from a cold page: {fq['total'] / 1024:.0f} kB in"
                 f" {fq['requests']} requests, of which index {fq['index'] / 1024:.0f} kB (uncompressed)")
    if with_pagefind:
        r, p, rmin, pmin = overall("pagefind")
        lines.append(f"pagefind: recall {r:.3f} (min per query {rmin:.3f})  precision {p:.3f} (min {pmin:.3f});"
                     f" index {res['pagefind_bytes'] / 1024:.0f} kB, indexing {res['pagefind_s']:.1f} s")
        pf_first = [q["pf_first_ms"] for q in rows]
        lines.append(f"          query latency median {statistics.median(pf_first):.1f} ms, max {max(pf_first):.1f} ms;"
                     f" first query {res['pf_first_query']['total'] / 1024:.0f} kB in"
                     f" {res['pf_first_query']['requests']} requests")
    return "\n".join(lines)


HEADER = (f"{'query':<24}{'truth':>6}  {'recall':>6} {'prec':>6} {'warm':>7} {'fetch':>7}"
          f"  | {'PF rec':>6} {'PF pr':>6} {'PF got':>6} {'PF ms':>8}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["real", "corpus", "synthetic"])
    ap.add_argument("--n", type=int, default=5000, help="synthetic archive size")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--synthetic-content", type=Path,
                    help="an existing synthetic archive (benchmarks/corpus.py N OUT) instead of generating one")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with_pf = not args.no_pagefind
    results = []
    plans = []
    if args.only in (None, "real"):
        plans.append(("real", lambda: real_content(args.out)))
    if args.only in (None, "corpus"):
        plans.append(("corpus", lambda: corpus_content(args.out)))
    if args.only in (None, "synthetic"):
        plans.append((f"synthetic-{args.n}",
                      lambda: args.synthetic_content or synthetic_content(args.out, args.n)))
    for name, content in plans:
        print(f"\n{name}\n{HEADER}", flush=True)
        res = measure(name, content(), args.out, with_pf)
        results.append(res)
        print(summary(res, with_pf), flush=True)
    (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print("\n" + "\n".join(summary(r, with_pf) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
