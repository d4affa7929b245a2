/* Archive search: queries the static index written by plugins/search at build
 * time (see plugins/search/indexer.py). A query is normalized exactly as the
 * index was (thaireports.thaitext.search_form), cut into the same character
 * n-grams, and matched against the shards that hold them; facet filters are
 * document sets in meta.json. Everything shown is built with textContent. */
(function () {
  "use strict";

  var app = document.getElementById("search");
  if (!app || !window.fetch || !window.URLSearchParams || !window.history.pushState) return;

  var KINDS = ["province", "agency", "program", "year"];
  var PAGE = 20;
  var DEBOUNCE_MS = 180;
  var EXCERPT = 90;
  // Up to this many candidates are checked against the reports' text. The
  // 4-gram index is exact for terms of up to 4 characters; a longer term's
  // 4-grams can come from different places in a report, which matters most
  // when few reports match (see plugins/search/indexer.py).
  var VERIFY_LIMIT = 40;

  var indexBase = new URL(app.getAttribute("data-index"), location.href);
  var siteRoot = new URL(app.getAttribute("data-root"), location.href);
  var lang = app.getAttribute("data-lang") === "en" ? "en" : "th";
  function msg(name, n) {
    var text = app.getAttribute("data-msg-" + name) || "";
    return n === undefined ? text : text.replace("{n}", n.toLocaleString(lang === "en" ? "en-US" : "th-TH"));
  }
  var form = app.querySelector(".search-form");
  var input = app.querySelector("#search-q");
  var selects = {};
  KINDS.forEach(function (k) { selects[k] = app.querySelector('select[data-kind="' + k + '"]'); });
  var status = app.querySelector(".search-status");
  var list = app.querySelector(".search-results");
  var more = app.querySelector(".search-more");
  var clear = app.querySelector(".search-clear");

  var meta = null;
  var words = 0;
  var facetSets = {};      // kind -> key -> bitset
  var shardCache = new Map();
  var docCache = new Map();
  var generation = 0;
  var current = { ids: [], shown: 0, terms: [] };

  /* --- text normal form: keep in step with thaitext.search_form --------- */
  var ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/;
  var SPACE = /\s/;

  function foldChar(ch) {
    var c = ch.charCodeAt(0);
    if (c >= 0x0e50 && c <= 0x0e59) return String.fromCharCode(c - 0x0e50 + 48);
    return ch.toLowerCase();
  }

  function normalize(text) {
    return mapped(text).text;
  }

  /* The normal form of `text` with, for each of its characters, the index of
   * the character of `text` it starts at (to highlight in the original);
   * from[length] is the end of the text. */
  function mapped(text) {
    text = text.normalize("NFC");
    var out = [];
    var from = [];
    var spaceAt = -1;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (ZERO_WIDTH.test(ch)) continue;
      if (SPACE.test(ch)) { if (spaceAt < 0 && out.length) spaceAt = i; continue; }
      if (spaceAt >= 0) { out.push(" "); from.push(spaceAt); spaceAt = -1; }
      if (ch === "\u0e4d" && text[i + 1] === "\u0e32") { out.push("\u0e33"); from.push(i); i++; continue; }
      var f = foldChar(ch);
      for (var j = 0; j < f.length; j++) { out.push(f[j]); from.push(i); }
    }
    from.push(text.length);
    return { text: out.join(""), from: from, source: text };
  }

  function terms(query) {
    var t = normalize(query);
    return t ? t.split(" ") : [];
  }

  /* Same as indexer.query_ngrams: the term itself up to 4 characters,
   * else its 4-grams. */
  function ngrams(term) {
    var chars = Array.from(term);
    if (chars.length < 2) return [];
    if (chars.length <= 4) return [term];
    var out = [];
    for (var i = 0; i + 4 <= chars.length; i++) out.push(chars.slice(i, i + 4).join(""));
    return out;
  }

  function fnv1a(s) {
    var h = 0x811c9dc5;
    for (var ch of s) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* --- document sets as bitsets ----------------------------------------- */
  function empty() { return new Uint32Array(words); }
  function full() {
    var b = new Uint32Array(words).fill(0xffffffff);
    var extra = words * 32 - meta.n;
    if (extra > 0) b[words - 1] = 0xffffffff >>> extra;
    return b;
  }

  function decode(code) {
    var b = empty();
    if (code.charAt(0) === "!") {
      var raw = atob(code.slice(1));
      for (var i = 0; i < raw.length; i++) {
        var byte = raw.charCodeAt(i);
        if (byte) b[i >> 2] |= byte << ((i & 3) * 8);
      }
      return b;
    }
    if (!code) return b;
    var prev = -1;
    var parts = code.split(",");
    for (var k = 0; k < parts.length; k++) {
      prev = prev + parseInt(parts[k], 36) + 1;
      b[prev >> 5] |= 1 << (prev & 31);
    }
    return b;
  }

  function and(a, b) {
    var out = new Uint32Array(words);
    for (var i = 0; i < words; i++) out[i] = a[i] & b[i];
    return out;
  }

  function popcount(b) {
    var n = 0;
    for (var i = 0; i < b.length; i++) {
      var v = b[i];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  function members(b) {
    var ids = [];
    for (var i = 0; i < b.length; i++) {
      var v = b[i];
      while (v) {
        var low = v & -v;
        ids.push(i * 32 + 31 - Math.clz32(low));
        v ^= low;
      }
    }
    return ids;
  }

  /* --- fetching -------------------------------------------------------- */
  function getJSON(path) {
    var url = new URL(path, indexBase);
    if (meta) url.searchParams.set("v", meta.build);
    return fetch(url.href, meta ? {} : { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("search index: " + r.status + " " + url.pathname);
      return r.json();
    });
  }

  function shard(n) {
    if (!shardCache.has(n)) {
      shardCache.set(n, getJSON("s/" + n + ".json").catch(function (e) { shardCache.delete(n); throw e; }));
    }
    return shardCache.get(n);
  }

  function doc(id) {
    if (!docCache.has(id)) {
      docCache.set(id, getJSON("d/" + id + ".json").then(function (d) {
        d.id = id;
        d.norm = normalize([d.t, d.x].concat(d.n || []).join("\n"));
        return d;
      }).catch(function (e) { docCache.delete(id); throw e; }));
    }
    return docCache.get(id);
  }

  /* The documents holding every n-gram of every term (null: no query). */
  function matchQuery(ts) {
    var grams = [];
    ts.forEach(function (t) { grams = grams.concat(ngrams(t)); });
    if (!grams.length) return Promise.resolve(null);
    return Promise.all(grams.map(function (g) {
      return shard(fnv1a(g) % meta.shards).then(function (s) { return s[g]; });
    })).then(function (codes) {
      var result = null;
      for (var j = 0; j < codes.length; j++) {
        if (codes[j] === undefined) return empty();
        result = result ? and(result, decode(codes[j])) : decode(codes[j]);
      }
      return result;
    });
  }

  /* --- state <-> URL --------------------------------------------------- */
  function readState() {
    var p = new URLSearchParams(location.search);
    var s = { q: p.get("q") || "", filters: {} };
    KINDS.forEach(function (k) { var v = p.get(k); if (v) s.filters[k] = v; });
    return s;
  }

  function formState() {
    var s = { q: input.value, filters: {} };
    KINDS.forEach(function (k) { if (selects[k].value) s.filters[k] = selects[k].value; });
    return s;
  }

  function stateURL(s) {
    var p = new URLSearchParams();
    if (s.q.trim()) p.set("q", s.q.trim());
    KINDS.forEach(function (k) { if (s.filters[k]) p.set(k, s.filters[k]); });
    var qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "");
  }

  function applyState(s) {
    input.value = s.q;
    KINDS.forEach(function (k) { selects[k].value = s.filters[k] || ""; });
  }

  /* --- searching ------------------------------------------------------- */
  /* Document ids (newest first) matching query and filters, and per-facet
   * counts. Exposed as window.archiveSearch.run for the recall benchmark. */
  function run(query, filters) {
    var ts = terms(query);
    return matchQuery(ts).then(function (q) {
      if (!q || !ts.some(function (t) { return Array.from(t).length > 4; }) || popcount(q) > VERIFY_LIMIT) return q;
      return Promise.all(members(q).map(doc)).then(function (docs) {
        var exact = empty();
        docs.forEach(function (d) {
          if (ts.every(function (t) { return d.norm.indexOf(t) >= 0; })) exact[d.id >> 5] |= 1 << (d.id & 31);
        });
        return exact;
      });
    }).then(function (q) {
      var base = q || full();
      var selected = {};
      KINDS.forEach(function (k) {
        var v = filters[k];
        if (v) selected[k] = (facetSets[k] && facetSets[k][v]) || empty();
      });
      var result = base;
      KINDS.forEach(function (k) { if (selected[k]) result = and(result, selected[k]); });
      var counts = {};
      KINDS.forEach(function (k) {
        // A facet's counts apply every other filter, so each number says how
        // many results choosing that value would give.
        var others = base;
        KINDS.forEach(function (o) { if (o !== k && selected[o]) others = and(others, selected[o]); });
        counts[k] = {};
        meta.facets[k].forEach(function (v) { counts[k][v.k] = popcount(and(others, facetSets[k][v.k])); });
      });
      return { ids: members(result), counts: counts, terms: ts, query: q !== null };
    });
  }

  function fillSelects(counts, filters) {
    KINDS.forEach(function (k) {
      var sel = selects[k];
      var keep = sel.options[0];
      sel.textContent = "";
      sel.appendChild(keep);
      meta.facets[k].forEach(function (v) {
        var n = counts[k][v.k];
        if (!n && filters[k] !== v.k) return;
        var opt = document.createElement("option");
        opt.value = v.k;
        opt.textContent = (lang === "en" ? v.en : v.th) + " (" + n + ")";
        opt.setAttribute("data-count", String(n));
        sel.appendChild(opt);
      });
      sel.value = filters[k] || "";
    });
  }

  function setStatus(text) { status.textContent = text; }

  /* Runs the search for state `s` (default: what the form shows). Filter
   * options only exist once counts are known, so a state from the URL is
   * passed in rather than read back from the selects. */
  function search(s) {
    s = s || formState();
    var mine = ++generation;
    app.setAttribute("aria-busy", "true");
    return run(s.q, s.filters).then(function (r) {
      if (mine !== generation) return;
      fillSelects(r.counts, s.filters);
      current = { ids: r.ids, shown: 0, terms: r.terms };
      list.textContent = "";
      var n = r.ids.length;
      if (r.terms.length && !r.query) setStatus(msg("short"));
      else if (!n) setStatus(msg("none"));
      else setStatus(n === 1 ? msg("found-one") : msg("found", n));
      app.setAttribute("data-count", String(n));
      return showMore(mine);
    }).catch(function (e) {
      if (mine === generation) setStatus(msg("failed"));
      if (window.console) console.warn(e);
    }).then(function () {
      if (mine === generation) app.removeAttribute("aria-busy");
    });
  }

  function showMore(mine) {
    var ids = current.ids.slice(current.shown, current.shown + PAGE);
    current.shown += ids.length;
    more.hidden = current.shown >= current.ids.length;
    return Promise.all(ids.map(doc)).then(function (docs) {
      if (mine !== generation) return;
      docs.forEach(function (d) { list.appendChild(render(d, current.terms)); });
    });
  }

  /* --- rendering (text only, never HTML from data) --------------------- */
  function highlighted(parent, text, ts) {
    var m = mapped(text);
    var marks = [];
    ts.forEach(function (t) {
      if (!t) return;
      var at = m.text.indexOf(t);
      while (at >= 0) {
        marks.push([m.from[at], m.from[at + t.length]]);
        at = m.text.indexOf(t, at + t.length);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var src = m.source;
    var pos = 0;
    marks.forEach(function (r) {
      if (r[0] < pos) return;
      if (r[0] > pos) parent.appendChild(document.createTextNode(src.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = src.slice(r[0], r[1]);
      parent.appendChild(mark);
      pos = r[1];
    });
    if (pos < src.length) parent.appendChild(document.createTextNode(src.slice(pos)));
  }

  function excerpt(text, ts) {
    var flat = text.replace(/\s+/g, " ").normalize("NFC");
    var m = mapped(flat);
    var first = -1;
    ts.forEach(function (t) {
      var at = t ? m.text.indexOf(t) : -1;
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = 0;
    if (first >= 0) start = Math.max(0, m.from[first] - EXCERPT);
    if (start > 0) {
      // Start after a space when one is near, rather than inside a word.
      var space = flat.indexOf(" ", start);
      if (space >= 0 && space - start < 25 && (first < 0 || space < m.from[first])) start = space + 1;
    }
    var end = Math.min(flat.length, start + EXCERPT * 2 + 40);
    return (start > 0 ? "… " : "") + flat.slice(start, end) + (end < flat.length ? " …" : "");
  }

  function render(d, ts) {
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = new URL(d.u, siteRoot).href;
    highlighted(a, d.t, ts);
    h.appendChild(a);
    li.appendChild(h);
    var info = document.createElement("p");
    info.className = "search-meta";
    var time = document.createElement("span");
    time.className = "search-date";
    time.textContent = d.d;
    info.appendChild(time);
    if (d.p && d.p.length) {
      var where = document.createElement("span");
      where.className = "search-provinces";
      where.textContent = d.p.join(", ");
      info.appendChild(document.createTextNode(" · "));
      info.appendChild(where);
    }
    li.appendChild(info);
    var p = document.createElement("p");
    p.className = "search-excerpt";
    highlighted(p, excerpt(d.x, ts), ts);
    li.appendChild(p);
    return li;
  }

  /* --- wiring ---------------------------------------------------------- */
  var timer = null;
  /* Typing updates the address as it goes: its first pause starts a new
   * history entry and later pauses replace that one, so Back returns to the
   * search before the typing, not to every prefix typed. */
  var typing = false;
  function commit(push) {
    var url = stateURL(formState());
    if (url !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
    typing = false;
    return search();
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { commit(!typing); typing = true; }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    commit(true);
  });
  KINDS.forEach(function (k) {
    selects[k].addEventListener("change", function () { commit(true); });
  });
  clear.addEventListener("click", function () {
    KINDS.forEach(function (k) { selects[k].value = ""; });
    commit(true);
  });
  more.addEventListener("click", function () { showMore(generation); });
  window.addEventListener("popstate", function () {
    clearTimeout(timer);
    typing = false;
    var s = readState();
    applyState(s);
    search(s);
  });

  app.hidden = false;
  var nojs = document.getElementById("search-nojs");
  if (nojs) nojs.hidden = true;
  setStatus(msg("loading"));

  var ready = getJSON("meta.json").then(function (m) {
    meta = m;
    words = Math.max(1, Math.ceil(m.n / 32));
    KINDS.forEach(function (k) {
      facetSets[k] = {};
      m.facets[k].forEach(function (v) { facetSets[k][v.k] = decode(v.s); });
    });
    var s = readState();
    applyState(s);
    return search(s);
  });

  window.archiveSearch = {
    ready: ready,
    run: function (query, filters) { return ready.then(function () { return run(query, filters || {}); }); },
    normalize: normalize
  };
})();
