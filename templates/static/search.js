/* briefly's search box. Without this script the page shows links to the
   tags and the timeline instead. The index (search-index/, written by
   src/search.rs) is fetched only when the box is first used, and then only
   the parts a query needs: the manifest, the shard of each word, the blocks
   of the hits shown. Nothing is fetched from outside the site. */
(function () {
  "use strict";
  var box = document.querySelector(".site-search");
  if (!box || !window.fetch || !window.Map) return;
  var form = box.querySelector(".search-form");
  var input = box.querySelector(".search-box");
  var panel = box.querySelector(".search-results");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-hits");
  var more = box.querySelector(".search-more");
  var PAGE = 10;
  /* A word of at least PREFIX characters also finds longer words it
     starts, from at most SPAN shards (more would be a big download for a
     short word; the reader types on). */
  var PREFIX = 4;
  var SPAN = 3;
  var manifestUrl = new URL(box.getAttribute("data-index"), location.href);
  var folder = new URL(".", manifestUrl);
  var fetched = new Map();
  var manifest = null;
  var asked = 0;
  var timer = 0;
  var hits = [];
  var shown = 0;
  /* The page's words (site.yaml's `language`, partials/search.html):
     `found` is one text or its plural forms by CLDR category. */
  var said = JSON.parse(box.getAttribute("data-words") || "{}");
  var plurals = window.Intl && Intl.PluralRules ?
    new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function say(key, n) {
    var text = said[key];
    if (text && typeof text === "object") {
      text = text[plurals ? plurals.select(n) : (n === 1 ? "one" : "other")] || text.other;
    }
    return String(text || "").replace("{n}", n);
  }

  box.querySelector(".search-fallback").hidden = true;
  form.hidden = false;

  function get(url) {
    var key = String(url);
    if (!fetched.has(key)) {
      fetched.set(key, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(key + ": " + r.status);
        return r.json();
      }));
    }
    return fetched.get(key);
  }

  function loadManifest() {
    if (!manifest) {
      manifest = get(manifestUrl).then(function (m) {
        if (m.version !== 1) throw new Error("unknown index version " + m.version);
        return m;
      });
      manifest.catch(function () { manifest = null; fetched.delete(String(manifestUrl)); });
    }
    return manifest;
  }

  /* The words of a query, by the rule of src/search_terms.rs: lower case,
     no combining marks, runs of letters and digits, not one ASCII
     character, at most 40 characters. */
  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .split(/[^\p{Alphabetic}\p{N}]+/u)
      .filter(function (w) {
        var n = Array.from(w).length;
        return n > 0 && n <= 40 && !(n === 1 && w.charCodeAt(0) < 128);
      });
  }

  /* Code point order, the order the index is sorted in. */
  function before(a, b) {
    var i = 0;
    for (;;) {
      if (i >= a.length) return i < b.length;
      if (i >= b.length) return false;
      var x = a.codePointAt(i), y = b.codePointAt(i);
      if (x !== y) return x < y;
      i += x > 0xffff ? 2 : 1;
    }
  }

  /* The shards that may hold `word`, or words starting with it. */
  function shardsFor(m, word, prefix) {
    var shards = m.shards, lo = 0, hi = shards.length - 1;
    if (hi < 0) return [];
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (before(word, shards[mid][0])) hi = mid - 1; else lo = mid;
    }
    var found = [lo];
    while (prefix && found.length < SPAN && lo + 1 < shards.length &&
           shards[lo + 1][0].startsWith(word)) found.push(++lo);
    return found.map(function (k) {
      return new URL("terms/" + k + "-" + shards[k][1] + ".json", folder);
    });
  }

  /* Briefing -> weight for one word: its own term counts whole, a longer
     term it starts counts half. `narrows` is false when a matching term is
     in so many briefings that the index lists only its strong matches. */
  function match(word, prefix, shards) {
    var docs = new Map(), narrows = true;
    shards.forEach(function (shard) {
      var partial = new Set(shard.partial);
      Object.keys(shard.terms).forEach(function (term) {
        var exact = term === word;
        if (!exact && !(prefix && term.startsWith(word))) return;
        if (partial.has(term)) narrows = false;
        var postings = shard.terms[term], doc = 0;
        for (var i = 0; i < postings.length; i += 2) {
          doc += postings[i];
          var weight = exact ? postings[i + 1] : postings[i + 1] / 2;
          if (!(docs.get(doc) >= weight)) docs.set(doc, weight);
        }
      });
    });
    return { docs: docs, narrows: narrows };
  }

  function search(query) {
    var ask = ++asked;
    var ws = words(query);
    if (!ws.length) {
      hits = [];
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    status.textContent = say("searching");
    loadManifest().then(function (m) {
      return Promise.all(ws.map(function (w) {
        var prefix = Array.from(w).length >= PREFIX;
        return Promise.all(shardsFor(m, w, prefix).map(get)).then(function (shards) {
          return match(w, prefix, shards);
        });
      })).then(function (found) {
        if (ask !== asked) return;
        // A hit has every word that narrows; when none does, any word.
        var narrowing = found.filter(function (f) { return f.narrows; });
        var score = new Map();
        if (narrowing.length) {
          narrowing[0].docs.forEach(function (w, doc) {
            if (narrowing.every(function (f) { return f.docs.has(doc); })) score.set(doc, 0);
          });
        } else {
          found.forEach(function (f) { f.docs.forEach(function (w, doc) { score.set(doc, 0); }); });
        }
        score.forEach(function (s, doc) {
          found.forEach(function (f) { s += f.docs.get(doc) || 0; });
          score.set(doc, s);
        });
        hits = Array.from(score.keys()).sort(function (a, b) {
          return score.get(b) - score.get(a) || b - a; // then newest first
        });
        list.textContent = "";
        shown = 0;
        return show(m, ask);
      });
    }).catch(function () {
      if (ask !== asked) return;
      list.textContent = "";
      more.hidden = true;
      status.textContent = say("unavailable");
    });
  }

  /* Shows the next PAGE hits. */
  function show(m, ask) {
    var next = hits.slice(shown, shown + PAGE);
    var blocks = next.map(function (doc) { return Math.floor(doc / m.block); });
    return Promise.all(blocks.map(function (n) {
      var hash = m.blocks.substr(n * m.hash, m.hash);
      return get(new URL("briefings/" + n + "-" + hash + ".json", folder));
    })).then(function (rows) {
      if (ask !== asked) return;
      next.forEach(function (doc, i) {
        var row = rows[i][doc % m.block];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = row[0];
        a.textContent = row[1];
        a.className = "search-hit-title";
        var time = document.createElement("time");
        time.dateTime = row[2];
        time.textContent = row[3];
        var p = document.createElement("p");
        p.className = "search-hit-summary";
        p.textContent = row[4];
        li.append(a, " ", time, p);
        list.append(li);
      });
      shown += next.length;
      more.hidden = shown >= hits.length;
      var n = hits.length;
      status.textContent = n === 0 ? say("none") : say("found", n);
    });
  }

  input.addEventListener("focus", function () { loadManifest().catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 60);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      input.value = "";
      search("");
    } else if (e.key === "ArrowDown" && !panel.hidden) {
      var first = list.querySelector("a");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first && !panel.hidden) location.href = first.href;
  });
  more.addEventListener("click", function () {
    var ask = asked;
    loadManifest().then(function (m) { return show(m, ask); });
  });
})();
