// The page of `rasid serve`: search, article, timeline and entity views over
// the JSON API (docs/api.md). Plain modern JavaScript, no build step, no
// network beyond this server.
//
// All text that comes from articles, queries or the server goes into the
// page as text nodes (el() below), never as HTML, so an article titled
// <img src=x onerror=...> shows those characters and runs nothing.
//
// The state lives in the URL ("/?q=...&page=2", "/?view=doc&id=...&q=...",
// "/?view=timeline&q=...&interval=month", "/?view=entities&q=..."): links can
// be shared, and the back button works through history.pushState/popstate.

const K = 10;              // results per page
const MAX_WINDOW = 10000;  // the server's limit on offset + k
const NUM = new Intl.NumberFormat('ar-u-nu-latn');
const DATE = new Intl.DateTimeFormat('ar-u-nu-latn', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('ar-u-nu-latn', { month: 'short', year: 'numeric', timeZone: 'UTC' });

const FACET_NAMES = { source: 'المصدر', category: 'التصنيف', person: 'أشخاص', organization: 'هيئات',
                      place: 'أماكن', year: 'السنة', month: 'الشهر' };
const FACET_FIELDS = { source: 'source', category: 'category', person: 'person', organization: 'org',
                       place: 'place', year: 'date', month: 'date' };
const FACET_SHOWN = 10;  // values per facet group on the page
const ENTITY_TYPES = [['person', 'أشخاص'], ['organization', 'هيئات'], ['place', 'أماكن']];
// Annotation kinds of /api/doc (filled once extraction lands): legend and colours.
const ANNOTATION_KINDS = [
  { key: 'entities', label: 'أشخاص وأماكن وهيئات', cls: 'ann-entity' },
  { key: 'numbers', label: 'أرقام ومبالغ', cls: 'ann-number' },
  { key: 'dates', label: 'تواريخ', cls: 'ann-date' },
  { key: 'quotes', label: 'اقتباسات', cls: 'ann-quote' },
];

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ DOM helpers

// el('a', {href: x, class: 'y'}, 'text', childNode, ...): strings become text
// nodes; attributes are set with setAttribute (never innerHTML).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'onclick') node.addEventListener('click', v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A link inside the page: a real href (open in a new tab works) and a
// pushState navigation on a plain click.
function link(params, attrs, ...children) {
  const a = el('a', { ...attrs, href: urlFor(params) }, ...children);
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(params);
  });
  return a;
}

// ------------------------------------------------------------------ highlights

// Marks from UTF-8 byte spans. The server counts bytes of UTF-8; JavaScript
// strings count UTF-16 code units: walk the string once and map every byte
// offset that starts a code point to its string index.
function byteToIndexMap(text) {
  const map = new Map();
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    map.set(bytes, i);
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  map.set(bytes, text.length);
  return map;
}

// Spans [{start, end, cls, title}] in bytes -> text and <mark>s, a span
// inside another nested in it (a name inside a quotation). Spans that cross
// another's edge, or do not fall on code points, are left out.
function marked(text, spans) {
  const map = byteToIndexMap(text);
  const sorted = spans
    .map((s) => ({ ...s, a: map.get(s.start), b: map.get(s.end) }))
    .filter((s) => s.a !== undefined && s.b !== undefined && s.a < s.b)
    .sort((x, y) => x.a - y.a || y.b - x.b);
  const root = document.createDocumentFragment();
  const stack = [{ node: root, b: text.length }];
  let at = 0;
  const emit = (upto) => {
    if (upto > at) stack[stack.length - 1].node.append(text.slice(at, upto));
    at = Math.max(at, upto);
  };
  for (const s of sorted) {
    while (stack.length > 1 && stack[stack.length - 1].b <= s.a) {
      emit(stack[stack.length - 1].b);
      stack.pop();
    }
    const top = stack[stack.length - 1];
    if (s.a < at || s.b > top.b) continue;
    emit(s.a);
    const m = el('mark', { class: s.cls, title: s.title });
    top.node.append(m);
    stack.push({ node: m, b: s.b });
  }
  while (stack.length > 1) {
    emit(stack[stack.length - 1].b);
    stack.pop();
  }
  emit(text.length);
  return [root];
}

// ------------------------------------------------------------------ URL state

function stateFromUrl() {
  const p = new URLSearchParams(location.search);
  return {
    view: p.get('view') || (p.get('q') ? 'search' : 'home'),
    q: p.get('q') || '',
    page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
    and: p.get('and') === '1',
    exact: p.get('exact') === '1',
    id: p.get('id') || '',
    interval: p.get('interval') || 'month',
  };
}

function urlFor(s) {
  const p = new URLSearchParams();
  if (s.view && s.view !== 'search' && s.view !== 'home') p.set('view', s.view);
  if (s.id) p.set('id', s.id);
  if (s.q) p.set('q', s.q);
  if (s.page && s.page > 1) p.set('page', String(s.page));
  if (s.and) p.set('and', '1');
  if (s.exact) p.set('exact', '1');
  if (s.view === 'timeline' && s.interval && s.interval !== 'month') p.set('interval', s.interval);
  const qs = p.toString();
  return '/' + (qs ? '?' + qs : '');
}

function navigate(s) {
  const url = urlFor(s);
  if (url !== location.pathname + location.search) history.pushState({ prev: current().view }, '', url);
  render();
}

function current() {
  return stateFromUrl();
}

// ------------------------------------------------------------------ API

let generation = 0;  // a newer render makes older answers stale

async function api(path, params) {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(path + (qs ? '?' + qs : ''), { headers: { Accept: 'application/json' } });
  let body;
  try {
    body = await res.json();
  } catch {
    body = { error: 'answer of the server is not JSON (' + res.status + ')' };
  }
  if (!res.ok) throw new Error(body.error || 'error ' + res.status);
  return body;
}

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text || '';
  s.className = isError ? 'error' : '';
  s.setAttribute('role', isError ? 'alert' : 'status');
}

function show(view) {
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-' + view;
  for (const a of document.querySelectorAll('nav.views a')) {
    a.classList.toggle('active', a.dataset.view === view || (view === 'doc' && a.dataset.view === 'search'));
  }
}

// ------------------------------------------------------------------ formatting

// The calendar day as the article gives it (as the index counts it: the
// date written, not converted to another time zone), in Arabic.
const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
function formatDate(raw) {
  if (!raw) return '';
  let m = raw.match(/^\s*(\d{4})[-/](\d{2})[-/](\d{2})/);
  let ymd = m && [+m[1], +m[2], +m[3]];
  if (!ymd && (m = raw.match(/^\s*(\d{2})[-/.](\d{2})[-/.](\d{4})/))) ymd = [+m[3], +m[2], +m[1]];
  if (!ymd && (m = raw.match(/(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})/)) && MONTHS[m[2].toLowerCase()]) {
    ymd = [+m[3], MONTHS[m[2].toLowerCase()], +m[1]];
  }
  if (!ymd) return raw;
  return DATE.format(new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2])));
}

function safeHttpUrl(u) {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// A filter as the query language writes it: source:BBC, source:"Sky News".
function filterTerm(field, value) {
  return /^[^\s"«»“”()&|:]+$/u.test(value) ? `${field}:${value}` : `${field}:"${value.replace(/"/g, '')}"`;
}

function hasTerm(q, term) {
  return (' ' + q + ' ').includes(' ' + term + ' ');
}

function toggleTerm(q, term) {
  if (hasTerm(q, term)) return (' ' + q + ' ').replace(' ' + term + ' ', ' ').trim().replace(/\s+/g, ' ');
  return (q.trim() + ' ' + term).trim();
}

// ------------------------------------------------------------------ views

async function renderSearch(s, gen) {
  show('search');
  const results = clear($('results'));
  clear($('facets'));
  clear($('pager'));
  $('summary').textContent = '';
  delete $('summary').dataset.total;
  setStatus('جار البحث…');
  let r;
  try {
    r = await api('/api/search', { q: s.q, k: K, page: s.page, and: s.and ? 1 : 0, exact: s.exact ? 1 : 0 });
  } catch (e) {
    if (gen === generation) setStatus(e.message, true);
    return;
  }
  if (gen !== generation) return;
  setStatus('');
  const from = (s.page - 1) * K + 1;
  $('summary').dataset.total = r.total;
  $('summary').append(
    r.total === 0
      ? 'لا نتائج لـ '
      : `${NUM.format(r.total)} نتيجة${r.total_exact ? '' : ' تقريبا'} (${NUM.format(Math.round(r.took_ms * 10) / 10)} ملي ثانية)، ` +
          `من ${NUM.format(from)} إلى ${NUM.format(from + r.hits.length - 1)} لـ `,
    el('bdi', { class: 'query' }, s.q),
    ' · ',
    link({ view: 'timeline', q: s.q }, { id: 'to-timeline' }, 'الخط الزمني'),
  );
  for (const h of r.hits) {
    const spans = h.highlights.map(([start, end]) => ({ start, end, cls: 'hl' }));
    const meta = [el('bdi', { class: 'source' }, h.source || 'مصدر غير معروف')];
    if (h.date) meta.push(' · ', el('time', { title: h.date }, formatDate(h.date)));
    if (h.category) meta.push(' · ', el('bdi', { class: 'category' }, h.category));
    results.append(
      el('li', { class: 'hit', 'data-id': h.id },
        el('h2', { class: 'hit-title' },
          link({ view: 'doc', id: h.id, q: s.q }, { dir: 'auto' }, h.title || h.id)),
        el('p', { class: 'meta' }, meta),
        el('p', { class: 'snippet', dir: 'auto' }, marked(h.snippet, spans))),
    );
  }
  renderFacets(s, r.facets);
  renderPager(s, r.total);
}

function renderFacets(s, facets) {
  const box = $('facets');
  for (const name of ['source', 'category', 'person', 'organization', 'place', 'year', 'month']) {
    const values = (facets[name] || []).slice(0, FACET_SHOWN);
    if (!values.length) continue;
    const list = el('ul', {});
    for (const f of values) {
      const term = filterTerm(FACET_FIELDS[name], f.value);
      const active = hasTerm(s.q, term);
      const label = name === 'month' ? MONTH.format(new Date(f.value + '-01T00:00:00Z')) : f.value;
      list.append(el('li', {},
        link({ ...s, view: 'search', q: toggleTerm(s.q, term), page: 1 },
          { class: 'facet' + (active ? ' active' : ''), 'data-field': name, 'data-value': f.value,
            title: active ? 'إزالة هذا القيد' : 'تضييق النتائج: ' + term },
          el('bdi', {}, label), ' ', el('span', { class: 'count' }, NUM.format(f.count)))));
    }
    box.append(el('section', { class: 'facet-group' }, el('h3', {}, FACET_NAMES[name]), list));
  }
}

function renderPager(s, total) {
  const pager = $('pager');
  const last = Math.min(Math.ceil(total / K), Math.floor(MAX_WINDOW / K));
  if (last <= 1) return;
  const page = (n, text, attrs) => link({ ...s, view: 'search', page: n }, attrs || {}, text);
  if (s.page > 1) pager.append(page(s.page - 1, 'السابق', { rel: 'prev', class: 'prev' }));
  const first = Math.max(1, s.page - 4);
  for (let n = first; n <= Math.min(last, first + 9); n++) {
    pager.append(n === s.page ? el('span', { class: 'current', 'aria-current': 'page' }, NUM.format(n))
                              : page(n, NUM.format(n)));
  }
  if (s.page < last) pager.append(page(s.page + 1, 'التالي', { rel: 'next', class: 'next' }));
}

async function renderDoc(s, gen) {
  show('doc');
  clear($('doc-title'));
  clear($('doc-meta'));
  clear($('doc-text'));
  clear($('annotation-list'));
  setStatus('جار التحميل…');
  const back = $('back-to-results');
  back.href = urlFor({ view: 'search', q: s.q });
  back.hidden = !s.q;
  let d;
  try {
    d = await api('/api/doc/' + encodeURIComponent(s.id), s.q ? { q: s.q } : {});
  } catch (e) {
    if (gen === generation) setStatus(e.message, true);
    return;
  }
  if (gen !== generation) return;
  setStatus('');
  document.title = (d.title || d.id) + ' · راصد';
  $('doc-title').textContent = d.title || d.id;
  const meta = $('doc-meta');
  meta.append(el('bdi', { class: 'source' }, d.source || ''));
  if (d.date) meta.append(' · ', el('time', { title: d.date }, formatDate(d.date)));
  if (d.category) meta.append(' · ', el('bdi', {}, d.category));
  if (d.author) meta.append(' · ', el('bdi', {}, d.author));
  const url = safeHttpUrl(d.url);
  if (url) meta.append(' · ', el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, 'المصدر الأصلي'));
  // Query words and (when extraction fills them) annotations, in one pass.
  const spans = (d.highlights || []).map(([start, end]) => ({ start, end, cls: 'hl' }));
  const ann = d.annotations || {};
  for (const kind of ANNOTATION_KINDS) {
    for (const a of ann[kind.key] || []) {
      if (typeof a.start === 'number' && typeof a.end === 'number') {
        spans.push({ start: a.start, end: a.end, cls: kind.cls + (a.type ? ' ' + kind.cls + '-' + a.type : ''),
                     title: annotationTitle(kind.key, a) });
      }
    }
  }
  $('doc-text').append(...marked(d.text, spans));
  renderAnnotations(d);
}

const ENTITY_NAMES = { person: 'شخص', organization: 'هيئة', place: 'مكان', misc: 'اسم' };
const NUMBER_NAMES = { cardinal: 'عدد', ordinal: 'ترتيب', percent: 'نسبة', money: 'مبلغ', quantity: 'كمية' };

// What a mark says on hover: the normalised value (7٫7 مليون -> 7,700,000).
function annotationValue(key, a) {
  if (key === 'entities') return a.name || a.text;
  if (key === 'numbers') {
    const v = (x) => (typeof x === 'number' ? NUM.format(x) : String(x));
    const range = a.min !== undefined || a.max !== undefined
      ? `${a.min !== undefined ? v(a.min) : '…'}–${a.max !== undefined ? v(a.max) : '…'}` : v(a.value);
    return (a.approx ? '≈ ' : '') + range + (a.unit ? ' ' + a.unit : '');
  }
  if (key === 'dates') return (a.value || '?') + (a.hijri ? ` (${a.hijri} هـ)` : '');
  return a.speaker ? 'قالها: ' + a.speaker : 'قائلها غير معروف';
}

function annotationTitle(key, a) {
  const kind = key === 'entities' ? ENTITY_NAMES[a.type] : key === 'numbers' ? NUMBER_NAMES[a.type] : null;
  return (kind ? kind + ': ' : '') + annotationValue(key, a);
}

function renderAnnotations(d) {
  const legend = clear($('legend'));
  for (const kind of ANNOTATION_KINDS) {
    legend.append(el('li', {}, el('span', { class: 'swatch ' + kind.cls }), kind.label));
  }
  legend.append(el('li', {}, el('span', { class: 'swatch hl' }), 'كلمات البحث'));
  const box = $('annotation-list');
  const ann = d.annotations || {};
  let any = false;
  for (const kind of ANNOTATION_KINDS) {
    let items = ann[kind.key] || [];
    if (!items.length) continue;
    any = true;
    const list = el('ul', {});
    if (kind.key === 'entities') {
      // One line per entity, with its mentions counted; each leads to its timeline.
      const byName = new Map();
      for (const a of items) {
        if (a.type === 'misc') continue;
        const k = a.type + '\t' + a.name;
        const e = byName.get(k) || { ...a, mentions: 0 };
        e.mentions++;
        byName.set(k, e);
      }
      const field = { person: 'person', organization: 'org', place: 'place' };
      for (const e of [...byName.values()].sort((x, y) => y.mentions - x.mentions)) {
        list.append(el('li', { class: kind.cls + ' ' + kind.cls + '-' + e.type, title: ENTITY_NAMES[e.type] },
          link({ view: 'timeline', q: `${field[e.type]}:"${e.name.replace(/"/g, '')}"` }, {}, el('bdi', {}, e.name)),
          e.mentions > 1 ? el('span', { class: 'count' }, ' ×' + NUM.format(e.mentions)) : null));
      }
    } else {
      for (const a of items) {
        list.append(el('li', { class: kind.cls },
          el('bdi', {}, kind.key === 'quotes' ? '«' + a.text + '»' : a.text),
          el('span', { class: 'value' }, ' ← ', el('bdi', {}, annotationValue(kind.key, a)))));
      }
    }
    box.append(el('section', { class: 'ann-group', 'data-kind': kind.key }, el('h3', {}, kind.label), list));
  }
  if (!any) {
    box.append(el('p', { class: 'note', id: 'annotations-note' },
      d.annotations_available === false
        ? 'لا تتوفر الأسماء والأرقام والتواريخ والاقتباسات لهذا المقال: ' + (d.annotations_note || '')
        : 'لم يُعثر على شيء من ذلك في هذا المقال.'));
  }
}

async function renderTimeline(s, gen) {
  show('timeline');
  const chart = clear($('timeline-chart'));
  clear($('timeline-entities'));
  const entity = s.q.match(/^(person|org|place):"([^"]+)"$/);  // an entity's own timeline
  $('timeline-title').replaceChildren('الخط الزمني لـ ', el('bdi', { class: 'query' }, entity ? entity[2] : s.q || '…'));
  $('timeline-note').textContent = '';
  for (const a of document.querySelectorAll('[data-interval]')) {
    a.href = urlFor({ ...s, interval: a.dataset.interval });
    a.classList.toggle('active', a.dataset.interval === s.interval);
  }
  if (!s.q) {
    setStatus('اكتب استعلاما لرسم خطه الزمني.');
    return;
  }
  setStatus('جار الحساب…');
  let t;
  try {
    t = await api('/api/timeline', { q: s.q, interval: s.interval });
  } catch (e) {
    if (gen === generation) setStatus(e.message, true);
    return;
  }
  if (gen !== generation) return;
  setStatus('');
  chart.append(drawChart(t, s));
  const undated = t.total - t.dated;
  $('timeline-note').replaceChildren(
    `${NUM.format(t.total)} مقالا` + (undated > 0 ? `، منها ${NUM.format(undated)} بلا تاريخ` : '') +
    '. انقر على عمود لعرض مقالاته، أو ', link({ view: 'search', q: s.q }, { id: 'timeline-articles' }, 'اعرض كل المقالات'), '.');
  // Who and what is named in these articles (for an entity: who is named with it).
  const box = clear($('timeline-entities'));
  let e;
  try {
    e = await api('/api/entities', { q: s.q, limit: 8 });
  } catch {
    return;
  }
  if (gen !== generation || !e.entities.length) return;
  box.append(el('h2', {}, 'يُذكر في هذه المقالات'), entityColumns(e.entities, s.q));
}

// Entities in three columns (people, organisations, places); each leads to
// its own timeline. `exclude`: the query of the entity being shown.
function entityColumns(entities, exclude) {
  const cols = el('div', { class: 'entity-columns' });
  for (const [type, label] of ENTITY_TYPES) {
    const items = entities.filter((x) => x.type === type && x.query !== exclude);
    if (!items.length) continue;
    const list = el('ol', { class: 'entities' });
    for (const x of items) {
      list.append(el('li', { class: 'entity', 'data-type': type },
        link({ view: 'timeline', q: x.query }, {}, el('bdi', {}, x.text)),
        ' ', el('span', { class: 'count' }, NUM.format(x.count))));
    }
    cols.append(el('section', {}, el('h3', {}, label), list));
  }
  return cols;
}

// A bar chart drawn by hand in SVG. Time runs left to right, as in most
// Arabic news graphics.
function drawChart(t, s) {
  const NS = 'http://www.w3.org/2000/svg';
  const svgEl = (tag, attrs, ...kids) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    for (const k of kids) n.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return n;
  };
  const buckets = t.buckets;
  const W = 900, H = 320, left = 48, right = 12, top = 16, bottom = 56;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', direction: 'ltr',
                             'aria-label': `عدد المقالات في كل فترة: ${buckets.length} فترة` });
  if (!buckets.length) {
    svg.append(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, 'لا مقالات مؤرخة'));
    return svg;
  }
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const plotW = W - left - right, plotH = H - top - bottom;
  const step = plotW / buckets.length;
  const barW = Math.max(1, step * 0.8);
  // Horizontal grid lines at round counts.
  const tick = niceStep(max / 4);
  for (let v = 0; v <= max; v += tick) {
    const y = top + plotH - (v / max) * plotH;
    svg.append(svgEl('line', { x1: left, x2: W - right, y1: y, y2: y, class: 'grid' }));
    svg.append(svgEl('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, NUM.format(v)));
  }
  const labelEvery = Math.ceil(buckets.length / 12);
  buckets.forEach((b, i) => {
    const h = (b.count / max) * plotH;
    const x = left + i * step + (step - barW) / 2;
    const term = 'date:' + (b.start === b.end ? b.start : `${b.start}..${b.end}`);
    const bar = svgEl('rect', { x, y: top + plotH - h, width: barW, height: Math.max(h, b.count ? 1 : 0),
                                class: 'bar', 'data-start': b.start, 'data-count': b.count, tabindex: 0 },
                      svgEl('title', {}, `${b.start} … ${b.end}: ${b.count}`));
    const open = () => navigate({ view: 'search', q: toggleTerm(s.q, term), page: 1 });
    bar.addEventListener('click', open);
    bar.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    svg.append(bar);
    if (i % labelEvery === 0) {
      const label = s.interval === 'month' ? MONTH.format(new Date(b.start + 'T00:00:00Z')) : b.start;
      svg.append(svgEl('text', { x: x + barW / 2, y: H - bottom + 18, 'text-anchor': 'middle', class: 'axis' }, label));
    }
  });
  return svg;
}

function niceStep(x) {
  if (x <= 1) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

async function renderEntities(s, gen) {
  show('entities');
  const box = clear($('entities-list'));
  if (s.q) $('entities-title').replaceChildren('الكيانات في نتائج ', el('bdi', { class: 'query' }, s.q));
  else $('entities-title').textContent = 'الأكثر ذكرا في كل المقالات';
  setStatus('جار الحساب…');
  let e;
  try {
    e = await api('/api/entities', { q: s.q, limit: 20 });
  } catch (err) {
    if (gen === generation) setStatus(err.message, true);
    return;
  }
  if (gen !== generation) return;
  setStatus('');
  if (!e.entities.length) {
    box.append(el('p', { class: 'note', id: 'entities-note' },
      'لا أشخاص ولا هيئات ولا أماكن في هذه المقالات (أو فُهرست دون استخراج الكيانات).'));
    return;
  }
  box.append(el('p', { class: 'note' }, 'العدد: المقالات التي تذكر الاسم. انقر على اسم لترى خطه الزمني ومن يُذكر معه.'),
             entityColumns(e.entities, null));
}

async function renderHome(gen) {
  show('home');
  setStatus('');
  try {
    const h = await api('/api/health', {});
    if (gen === generation) $('home-stats').textContent = `في الفهرس ${NUM.format(h.documents)} مقالا.`;
  } catch (e) {
    if (gen === generation) setStatus(e.message, true);
  }
}

function render() {
  const s = current();
  const gen = ++generation;
  $('q').value = s.q;
  $('and').checked = s.and;
  $('exact').checked = s.exact;
  document.title = s.q ? s.q + ' · راصد' : 'راصد: البحث في الأخبار العربية';
  for (const a of document.querySelectorAll('nav.views a')) a.href = urlFor({ ...s, view: a.dataset.view, id: '', page: 1 });
  if (s.view === 'doc' && s.id) return renderDoc(s, gen);
  if (s.view === 'timeline') return renderTimeline(s, gen);
  if (s.view === 'entities') return renderEntities(s, gen);
  if (s.q) return renderSearch(s, gen);
  return renderHome(gen);
}

// ------------------------------------------------------------------ wiring

function init() {
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const s = current();
    const q = $('q').value.trim();
    const view = s.view === 'timeline' || s.view === 'entities' ? s.view : 'search';
    navigate({ view, q, page: 1, and: $('and').checked, exact: $('exact').checked, interval: s.interval });
  });
  for (const a of document.querySelectorAll('nav.views a')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const s = current();
      navigate({ ...s, view: a.dataset.view, id: '', page: 1 });
    });
  }
  for (const a of document.querySelectorAll('[data-interval]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      navigate({ ...current(), view: 'timeline', interval: a.dataset.interval });
    });
  }
  $('back-to-results').addEventListener('click', (e) => {
    e.preventDefault();
    if (history.state && history.state.prev === 'search') history.back();  // to the same page of results
    else navigate({ view: 'search', q: current().q });
  });
  $('home').addEventListener('click', (e) => {
    e.preventDefault();
    navigate({ view: 'home' });
  });
  window.addEventListener('popstate', render);
  render();
}

init();
