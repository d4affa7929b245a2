"""`python -m scraper extract|normalize|score …`."""
from __future__ import annotations

import argparse
import json
import sys

from .load import expand_inputs, load_record
from .record import ScraperError


def _failure_types():
    try:
        from .fetch import FetchError
    except ImportError:          # the fetcher is optional for local files
        return (ScraperError,)
    return (ScraperError, FetchError)


def reason_of(exc: Exception) -> str:
    return getattr(exc, "reason", None) or str(exc) or exc.__class__.__name__


def cmd_extract(args) -> int:
    failed = 0
    failures = _failure_types()
    for spec in expand_inputs(args.inputs):
        try:
            rec = load_record(spec, cache_dir=args.cache, allow_loopback=args.allow_loopback)
        except failures as exc:
            print(f"{spec}: skipped: {reason_of(exc)}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            print(json.dumps(rec.to_json(), ensure_ascii=False))
        else:
            d = rec.to_json()
            body = d.pop("body")
            for k, v in d.items():
                print(f"{k}: {v}")
            print()
            print(body)
    return 1 if failed else 0


def cmd_normalize(args) -> int:
    from .normalize import normalize
    result = normalize(expand_inputs(args.inputs), args.out, cache_dir=args.cache,
                       allow_loopback=args.allow_loopback, progress=not args.quiet)
    print(result.summary_line())
    for line in result.detail_lines():
        print(line, file=sys.stderr)
    return 1 if result.failed else 0


def cmd_score(args) -> int:
    from .score import main
    return main(args.cases, worst=args.worst)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scraper",
                                description="Thai event reports (text, HTML, URLs) → archive reports.")
    sub = p.add_subparsers(dest="command", required=True)

    def io_options(sp):
        sp.add_argument("inputs", nargs="+", help="text or HTML files, folders of them, or http(s) URLs")
        sp.add_argument("--cache", default=None, help="fetch cache folder (default cache/fetch)")
        sp.add_argument("--allow-loopback", action="store_true", help=argparse.SUPPRESS)

    e = sub.add_parser("extract", help="print the extracted record of each input")
    io_options(e)
    e.add_argument("--json", action="store_true", help="one JSON object per line (JSON Lines)")
    e.set_defaults(func=cmd_extract)

    n = sub.add_parser("normalize", help="write one Markdown report per input")
    io_options(n)
    n.add_argument("--out", default="content/reports", help="reports folder (default content/reports)")
    n.add_argument("--quiet", action="store_true", help="no progress bar")
    n.set_defaults(func=cmd_normalize)

    s = sub.add_parser("score", help="score extraction against NNN.txt + NNN.json gold pairs")
    s.add_argument("cases", help="folder of NNN.txt + NNN.json pairs")
    s.add_argument("--worst", type=int, default=10, help="how many worst cases to list")
    s.set_defaults(func=cmd_score)

    args = p.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:      # `… --json | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
