"""Report photos and social cards.

Every photo a report references (its `Images:` metadata and `<img>`/`![]()`
in the body) under content/images/<slug>/ becomes WebP and JPEG variants at a
few widths; the body's `<img>` tags become `<picture>` elements and the photos
listed only in metadata become `article.gallery`. Each report also gets an
Open Graph card (`article.og_image`). Work is cached by content hash under
CACHE_PATH/images and the output folder is only touched for missing or
changed files, so a rebuild with unchanged photos decodes and writes nothing.

Attributes set on articles (and pages for photos):
  gallery          list of Photo: src, path, srcset, webp_srcset, sizes,
                   width, height, alt, html (ready `<picture>` markup)
  og_image         card URL (absolute when SITEURL is), og_image_width,
                   og_image_height, og_image_alt
Context: DEFAULT_OG_IMAGE (+ _WIDTH/_HEIGHT) for index pages."""
from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article

from . import cards
from .markup import IMG_TAG, img_attrs, picture_html, rewrite_body
from .process import EXTENSIONS, MIME, SUFFIX, Config, Processed, cache_key, entry_dir, \
    load_cached, process_image
from thaireports.contentgroups import ARTICLE_GROUPS, PAGE_GROUPS, contents_of
from thaireports.parallel import SIDE
from thaireports.photos import MAX_PIXELS, MAX_SIDE, BadImage
from thaireports.reportfile import atomic_write_bytes

logger = logging.getLogger(__name__)

DEFAULTS = {
    "IMAGES_SOURCE_DIR": "images",          # below PATH (content/)
    "IMAGES_OUTPUT_DIR": "images",          # below OUTPUT_PATH
    "IMAGES_WIDTHS": (320, 640, 1280),
    "IMAGES_FORMATS": ("webp", "jpeg"),
    "IMAGES_WEBP_QUALITY": 75,
    "IMAGES_JPEG_QUALITY": 80,
    "IMAGES_MAX_SIDE": MAX_SIDE,
    "IMAGES_MAX_PIXELS": MAX_PIXELS,
    # The report column is at most ~46rem wide; gallery tiles half of it.
    "IMAGES_SIZES": "(min-width: 48rem) 46rem, 100vw",
    "IMAGES_GALLERY_SIZES": "(min-width: 48rem) 23rem, 100vw",
    "IMAGES_WORKERS": os.cpu_count() or 1,
    "IMAGES_SOCIAL_CARDS": True,
    "IMAGES_CARD_FONT_DIR": None,           # default: THEME/static/fonts
}
CARD_DIR = "cards"
DEFAULT_CARD = "default.png"


def _setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def _config(settings) -> Config:
    return Config(widths=tuple(_setting(settings, "IMAGES_WIDTHS")),
                  formats=tuple(_setting(settings, "IMAGES_FORMATS")),
                  webp_quality=_setting(settings, "IMAGES_WEBP_QUALITY"),
                  jpeg_quality=_setting(settings, "IMAGES_JPEG_QUALITY"),
                  max_side=_setting(settings, "IMAGES_MAX_SIDE"),
                  max_pixels=_setting(settings, "IMAGES_MAX_PIXELS"))


def cache_dir(settings) -> Path:
    return Path(settings.get("IMAGES_CACHE_PATH") or Path(settings["CACHE_PATH"]) / "images")


def _shown(path: str | os.PathLike, settings) -> str:
    """A path as contributors see it: relative to the folder holding content/."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(path), base)


# ------------------------------------------------------------ finding references

def _is_external(ref: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:|//)", ref, re.I)) and not ref.startswith("{")


def _strip_indicator(ref: str) -> str:
    return re.sub(r"^(\{(static|attach|filename)\}|\|(static|attach|filename)\|)", "", ref.strip())


def resolve(ref: str, content: Path, images_root: Path, obj) -> Path:
    """The file a reference in a report means. Accepted forms: a bare name
    (`photo-1.jpg`, looked up in content/images/<slug>/), a path below
    content/ (`images/<slug>/a.jpg`, `/images/...`, `{static}/images/...`), or
    a path relative to the report file."""
    path = unquote(urlparse(_strip_indicator(ref)).path)
    if path.startswith("/"):
        candidates = [content / path.lstrip("/")]
    else:
        candidates = [images_root / obj.slug / path, content / path,
                      Path(os.path.dirname(obj.source_path)) / path]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return candidates[0].resolve()


def _metadata_refs(obj) -> list[str]:
    value = obj.metadata.get("images")
    if not value:
        return []
    if isinstance(value, str):
        from thaireports.reportfile import split_list
        return split_list(value)
    return [str(v) for v in value]


def _body_refs(obj) -> list[str]:
    body = obj._content or ""
    return [img_attrs(m.group(0)).get("src", "") for m in IMG_TAG.finditer(body)]


def _ref_line(obj, ref: str) -> int:
    """Line of the report that names `ref` (for error messages only)."""
    try:
        with open(obj.source_path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if ref and (ref in line or os.path.basename(ref) in line):
                    return n
    except OSError:
        pass
    return 1


# ------------------------------------------------------------ the build step

class _Run:
    """One build's image work: what to make, what came from the cache."""

    def __init__(self, settings, output_path: str):
        self.settings = settings
        self.content = Path(settings["PATH"]).resolve()
        self.images_root = self.content / _setting(settings, "IMAGES_SOURCE_DIR")
        self.output = Path(output_path)
        self.out_dir = _setting(settings, "IMAGES_OUTPUT_DIR")
        self.cache = cache_dir(settings)
        self.config = _config(settings)
        self.digest = self.config.digest()
        self.stats = {"images_processed": 0, "images_cached": 0, "images_failed": 0,
                      "cards_rendered": 0, "cards_cached": 0,
                      "files_written": 0, "files_unchanged": 0}

    # -- outputs ---------------------------------------------------------

    def publish(self, src: Path, rel: str) -> None:
        """Put the cache file `src` at output/`rel` unless an identical file
        is there already. Hard links when the cache and output share a disk."""
        dest = os.path.join(self.output, rel)
        try:
            st, have = os.stat(src), os.stat(dest)
            if os.path.samestat(st, have) or st.st_size == have.st_size:
                # Output names carry the content hash: same name and size is the same file.
                self.stats["files_unchanged"] += 1
                return
            os.unlink(dest)
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)
        self.stats["files_written"] += 1

    def outputs_of(self, source: Path, result: Processed) -> dict:
        """Publish the variants of one photo and describe them with paths
        relative to the site root."""
        rel_dir = os.path.relpath(source.parent, self.images_root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        stem = result.key[:12]
        folder = entry_dir(self.cache, result.key)
        variants = []
        for v in result.variants:
            files = {}
            for fmt, name in v.files.items():
                rel = f"{self.out_dir}/{rel_dir}{stem}-{v.width}{SUFFIX[fmt]}"
                self.publish(folder / name, rel)
                files[fmt] = rel
            variants.append((v.width, v.height, files))
        return {"variants": variants}

    # -- processing ------------------------------------------------------

    def process_all(self, sources: list[Path]) -> dict[Path, Processed | BadImage]:
        results: dict[Path, Processed | BadImage] = {}
        todo: list[Path] = []
        index = self._load_index()
        fresh: dict[str, list] = {}
        for src in sources:
            key = self._key_of(src, index, fresh)
            cached = load_cached(self.cache, key) if key else None
            if cached is not None:
                results[src] = cached
                self.stats["images_cached"] += 1
            else:
                todo.append(src)      # process_image words any read error
        for src, result in zip(todo, self.map(_process_job, [(str(s), str(self.cache), self.config) for s in todo])):
            results[src] = result
            if isinstance(result, BadImage):
                self.stats["images_failed"] += 1
            else:
                self.stats["images_processed"] += 1
                st = src.stat()
                fresh[str(src)] = [st.st_size, st.st_mtime_ns, result.key]
        if fresh != index:
            atomic_write_bytes(self.cache / "sources.json", json.dumps(fresh).encode("utf-8"), fsync=False)
        return results

    def _load_index(self) -> dict[str, list]:
        """path → [size, mtime_ns, cache key] from the last build: an
        unchanged file is not even read again."""
        try:
            return json.loads((self.cache / "sources.json").read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def _key_of(self, src: Path, index: dict, fresh: dict) -> str | None:
        try:
            st = src.stat()
        except OSError:
            return None
        known = index.get(str(src))
        if (known and known[:2] == [st.st_size, st.st_mtime_ns]
                and known[2].endswith(self.digest)):
            key = known[2]
        else:
            try:
                key = cache_key(src.read_bytes(), self.config)
            except OSError:
                return None
        fresh[str(src)] = [st.st_size, st.st_mtime_ns, key]
        return key

    def map(self, fn, jobs: list[tuple]) -> list:
        """Run `fn(*job)` for each job: in this process for a handful, on all
        cores when there is real work (each job is independent)."""
        workers = min(int(_setting(self.settings, "IMAGES_WORKERS")), len(jobs))
        if workers <= 1 or len(jobs) < 3:
            return [fn(*job) for job in jobs]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(fn, *zip(*jobs), chunksize=max(1, len(jobs) // (workers * 8))))

    def save_stats(self) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        (self.cache / "last-build.json").write_text(json.dumps(self.stats, indent=1), "utf-8")


def _process_job(source: str, cache: str, config: Config) -> Processed | BadImage:
    try:
        return process_image(source, cache, config)
    except BadImage as exc:
        return exc


# Photos are shown on pages at different depths (the report, its English
# mirror, index pages quoting it): URLs carry this mark and get the page's own
# site root when the page is written, as Pelican does for `{static}` links.
ROOT_MARK = "{images-root}"


def _root(obj) -> str:
    return obj.get_siteurl() or ""


def _with_page_root(obj) -> None:
    """Make `obj.content` resolve ROOT_MARK for whichever page renders it."""
    if getattr(obj, "_images_root_hook", False):
        return
    original = obj._update_content

    def update(content, siteurl):
        if content and ROOT_MARK in content:
            content = content.replace(ROOT_MARK, siteurl or "")
        return original(content, siteurl)

    obj._update_content = update
    obj._images_root_hook = True
    # Anything that read the content before this build step saw it unrewritten.
    for method in ("get_content", "get_summary"):
        cache = getattr(getattr(obj, method), "cache", {})
        for key in [k for k in cache if k and k[0] is obj]:
            del cache[key]


class Photo:
    """One processed photo for templates: `img.src`, `img.srcset`,
    `img.webp_srcset`, `img.sizes`, `img.width`, `img.height`, `img.alt`,
    `img.path` (site-relative JPEG), `img.html` (ready `<picture>`). URLs are
    right for the page being rendered (relative or absolute like SITEURL)."""

    def __init__(self, data: dict, owner):
        self._data = data
        self._owner = owner

    def __getitem__(self, key):
        if key == "html":
            return Markup(picture_html({k: self[k] for k in self._data}))
        value = self._data[key]
        return value.replace(ROOT_MARK, _root(self._owner)) if isinstance(value, str) else value

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def keys(self):
        return [*self._data, "html"]

    def __repr__(self):
        return f"Photo({self._data.get('path')!r})"


def _describe(out: dict, root: str, alt: str, sizes: str) -> dict:
    """Template/markup fields of one published photo; URLs start with `root`."""
    variants = out["variants"]
    w, h, files = variants[-1]

    def srcset(fmt):
        return ", ".join(f"{root}/{f[fmt]} {vw}w" for vw, _, f in variants if fmt in f)

    fallback = "jpeg" if "jpeg" in files else next(iter(files))
    return {"src": f"{root}/{files[fallback]}", "path": files[fallback],
            "srcset": srcset(fallback), "webp_srcset": srcset("webp") if fallback != "webp" else "",
            "sizes": sizes, "width": w, "height": h, "alt": alt, "type": MIME[fallback]}


def _plain_title(obj) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(getattr(obj, "title", "") or ""))).strip()


def _contents(generators) -> list:
    objs, seen = [], set()
    for g in generators:
        for obj in contents_of(g, ARTICLE_GROUPS + PAGE_GROUPS):
            if id(obj) not in seen:
                seen.add(id(obj))
                objs.append(obj)
    return objs


def _report_photos(objs, run: _Run) -> tuple[dict, dict]:
    """refs per content object, and the content objects naming each file."""
    per_obj: dict = {}
    users: dict[Path, list] = {}
    for obj in objs:
        refs = []
        for origin, ref in [("meta", r) for r in _metadata_refs(obj)] + [("body", r) for r in _body_refs(obj)]:
            if not ref or ref.startswith("data:") or _is_external(ref):
                if ref and not ref.startswith("data:"):
                    _report_external(obj, ref, run.settings)
                refs.append((origin, ref, None))
                continue
            path = resolve(ref, run.content, run.images_root, obj)
            refs.append((origin, ref, path))
            users.setdefault(path, []).append((obj, ref))
        per_obj[obj] = refs
    return per_obj, users


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def report_problem(image: Path | str, reason: BadImage, obj, ref: str, settings) -> None:
    """One warning, in English and Thai, naming the photo, the report and its line."""
    shown = _shown(image, settings)
    report = f"{_shown(obj.source_path, settings)}:{_ref_line(obj, ref)}"
    logger.warning("%s: %s (report %s); the page is built without this photo\n"
                   "%s: %s (รายงาน %s) หน้าเว็บจะแสดงโดยไม่มีภาพนี้",
                   shown, reason.en, report, shown, reason.th, report)


def _report_external(obj, ref: str, settings) -> None:
    report = f"{_shown(obj.source_path, settings)}:{_ref_line(obj, ref)}"
    logger.warning("%s: the photo %s is on another website; the archive shows only its own copies "
                   "(readers' browsers never contact other sites): save it into "
                   "content/images/<report-slug>/ and refer to the file\n"
                   "%s: ภาพ %s อยู่บนเว็บไซต์อื่น คลังข่าวแสดงเฉพาะภาพที่เก็บไว้เอง "
                   "ให้บันทึกภาพลงใน content/images/<slug ของรายงาน>/ แล้วอ้างถึงไฟล์นั้น",
                   report, ref, report, ref)


def build_images(generators) -> None:
    if not generators:
        return
    settings = generators[0].settings
    run = _Run(settings, generators[0].output_path)
    started = time.perf_counter()
    objs = [o for o in _contents(generators) if getattr(o, "save_as", "")]
    per_obj, users = _report_photos(objs, run)

    outside = BadImage("the photo must be inside content/images/<report-slug>/; move it there",
                       "ภาพต้องอยู่ในโฟลเดอร์ content/images/<slug ของรายงาน>/ ให้ย้ายไฟล์ไปไว้ที่นั่น")
    candidates = [p for p in users if _inside(p, run.images_root)]
    results: dict = run.process_all(candidates)
    for p in users:
        if p not in results:
            results[p] = outside
    published: dict[Path, dict] = {}
    for path, res in results.items():
        if isinstance(res, BadImage):
            told = set()
            for obj, ref in users[path]:
                if id(obj) not in told:
                    told.add(id(obj))
                    report_problem(path, res, obj, ref, settings)
        else:
            published[path] = run.outputs_of(path, res)

    sizes = _setting(settings, "IMAGES_SIZES")
    gallery_sizes = _setting(settings, "IMAGES_GALLERY_SIZES")
    for obj in objs:
        refs = per_obj[obj]
        title = _plain_title(obj)
        by_ref = {ref: path for _, ref, path in refs}
        in_body = {path for origin, _, path in refs if origin == "body" and path}
        meta_paths = [path for origin, _, path in refs if origin == "meta" and path]
        shown = []
        for path in meta_paths:
            if path not in in_body and path not in shown and path in published:
                shown.append(path)
        gallery = []
        for i, path in enumerate(shown, 1):
            alt = title if len(shown) == 1 else f"{title} (ภาพที่ {i} จาก {len(shown)})"
            gallery.append(Photo(_describe(published[path], ROOT_MARK, alt, gallery_sizes), obj))
        obj.gallery = gallery
        if any(origin == "body" for origin, _, _ in refs):
            def lookup(src, _by_ref=by_ref, _title=title):
                path = _by_ref.get(src)
                if path is None:
                    # data: URIs are the sanitizer's business; other sites' photos
                    # are dropped (reported above).
                    return "keep" if not src or src.startswith("data:") else None
                if path not in published:
                    return None          # bad photo: reported above, dropped
                return _describe(published[path], ROOT_MARK, _title, sizes)
            obj._content = rewrite_body(obj._content, lookup)
            _with_page_root(obj)

    _hide_originals(generators, run, published)
    run.stats["seconds"] = round(time.perf_counter() - started, 2)
    if _setting(settings, "IMAGES_SOCIAL_CARDS"):
        wanted = attach_cards(generators, run, objs)
        SIDE.add("cards", _finish_cards, run, wanted)
    else:
        _finish(run)


def _finish_cards(run: _Run, wanted: list) -> None:
    """Make and publish the cards (beside the page writing: see SideTasks)."""
    started = time.perf_counter()
    build_cards(run, wanted)
    run.stats["cards_seconds"] = round(time.perf_counter() - started, 2)
    run.stats["seconds"] = round(run.stats["seconds"] + run.stats["cards_seconds"], 2)
    _finish(run)


def finish_cards(pelican) -> None:
    """finalized: the cards are published before the build ends."""
    SIDE.result("cards")


def _finish(run: _Run) -> None:
    run.save_stats()
    s = run.stats
    logger.info("Images: %d processed, %d from cache, %d skipped; cards: %d rendered, %d from cache; "
                "%d files written, %d unchanged (%.1f s)",
                s["images_processed"], s["images_cached"], s["images_failed"],
                s["cards_rendered"], s["cards_cached"], s["files_written"], s["files_unchanged"],
                s["seconds"])


class _Linked:
    """What Pelican's `{static}` link replacement needs from a target: its URL."""

    def __init__(self, url: str):
        self.url = url

    def attach_to(self, content) -> None:
        pass


def _hide_originals(generators, run: _Run, published: dict[Path, dict]) -> None:
    """Originals still carry their EXIF (GPS): never copy raster files from
    content/images/ to the site. A `{static}` link to a processed original
    points at its largest clean JPEG instead."""
    for g in generators:
        if not hasattr(g, "staticfiles"):
            continue
        kept = []
        for sf in g.staticfiles:
            path = Path(sf.source_path).resolve()
            if _inside(path, run.images_root) and path.suffix.lower() in EXTENSIONS:
                if path in published:
                    files = published[path]["variants"][-1][2]
                    g.context["static_content"][sf.relative_source_path] = _Linked(
                        files.get("jpeg") or next(iter(files.values())))
                else:
                    g.context["static_content"].pop(sf.relative_source_path, None)
                continue
            kept.append(sf)
        g.staticfiles = kept
        g.context["staticfiles"] = kept


# ------------------------------------------------------------ social cards

def _province_names(obj) -> list[str]:
    from thaireports.vocabulary import load_vocabulary

    facets = getattr(obj, "provinces", None)
    names = []
    if isinstance(facets, (list, tuple)):
        for f in facets:
            entry = getattr(f, "entry", None)
            if entry is not None:
                names.append(entry.th)
            elif isinstance(f, str):
                names.append(f)
        if names and all(hasattr(f, "entry") for f in facets):
            return names
    vocab = load_vocabulary()
    raw = obj.metadata.get("provinces")
    if isinstance(raw, str):
        from thaireports.reportfile import split_list
        raw = split_list(raw)
    out = []
    for value in raw or []:
        key = vocab.resolve("province", str(getattr(value, "slug", value)))
        if key:
            out.append(vocab.provinces[key].th)
    return out


def card_text(obj, settings) -> cards.CardText:
    from thaireports.thaidates import format_be_range, parse_date_value

    start = parse_date_value(getattr(obj, "date", None))
    end = parse_date_value(getattr(obj, "end_date", None) or obj.metadata.get("end_date") or None)
    return cards.CardText(headline=_plain_title(obj), places=", ".join(_province_names(obj)),
                          date=format_be_range(start, end) if start else "",
                          site=settings.get("SITENAME", ""))


def _absolute(settings, rel: str) -> str:
    return f"{settings.get('SITEURL', '')}/{rel}"


def attach_cards(generators, run: _Run, objs) -> list:
    """Give each report its card's URL (named by the report's slug, so it is
    known before the card is made) and return what build_cards makes."""
    settings = run.settings
    default = cards.CardText(headline=settings.get("SITESUBTITLE") or settings.get("SITENAME", ""),
                             places=settings.get("SITENAME_EN", ""), date="",
                             site=settings.get("SITENAME", ""))
    wanted = [(None, default, f"{run.out_dir}/{CARD_DIR}/{DEFAULT_CARD}")]
    run_context = generators[0].context
    run_context["DEFAULT_OG_IMAGE"] = _absolute(settings, wanted[0][2])
    run_context["DEFAULT_OG_IMAGE_WIDTH"] = cards.WIDTH
    run_context["DEFAULT_OG_IMAGE_HEIGHT"] = cards.HEIGHT
    for obj in objs:
        if isinstance(obj, Article):
            rel = f"{run.out_dir}/{CARD_DIR}/{obj.slug}.png"
            wanted.append((obj, None, rel))
            obj.og_image = _absolute(settings, rel)
            obj.og_image_width = cards.WIDTH
            obj.og_image_height = cards.HEIGHT
            obj.og_image_alt = _plain_title(obj)
    return wanted


def build_cards(run: _Run, wanted: list) -> int:
    """Draw the cards not in the cache yet and publish every card."""
    settings = run.settings
    font_dir = Path(_setting(settings, "IMAGES_CARD_FONT_DIR") or Path(settings["THEME"]) / "static" / "fonts")
    bold = str(cards.merged_font(cards.theme_fonts(font_dir, 700), run.cache))
    regular = str(cards.merged_font(cards.theme_fonts(font_dir, 400), run.cache))
    card_cache = run.cache / CARD_DIR
    fonts = (Path(bold).name, Path(regular).name)
    jobs, targets = [], []
    for obj, text, rel in wanted:
        text = text or card_text(obj, settings)
        target = card_cache / f"{text.digest(fonts)}.png"
        targets.append((target, rel))
        if target.is_file():
            run.stats["cards_cached"] += 1
        else:
            jobs.append((text, bold, regular, str(target)))
    if len(jobs) > 1:
        cards.words("ก")      # load the tokenizer's dictionary once, before workers fork
    run.map(cards.card_job, jobs)
    run.stats["cards_rendered"] += len(jobs)
    for target, rel in targets:
        run.publish(target, rel)
    return len(jobs)


def register():
    SIDE.connect()
    signals.all_generators_finalized.connect(build_images)
    signals.finalized.connect(finish_cards)
