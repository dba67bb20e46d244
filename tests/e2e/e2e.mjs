// End-to-end test of rasid serve's web page in Debian's headless chromium,
// driven by playwright-core: search for an Arabic word, see highlighted
// results, apply a facet, go back, open an article, open the timeline and
// the entity view, and check that article and query text is never run as
// HTML. Screenshots go to OUT_DIR.
//   node tests/e2e/e2e.mjs RASID_BINARY OUT_DIR
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [rasid, outDir] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'rasid-e2e-'));
const index = join(work, 'index');

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log('ok   ' + name); }
  else { failed++; console.log('FAIL ' + name + (detail !== undefined ? ': ' + detail : '')); }
}

execFileSync(rasid, ['ingest', '-q', index, join(root, 'data/sample/ant_recent_3000.jsonl.gz'),
                     join(here, 'fixtures.jsonl')], { stdio: 'inherit' });

// The server on a free port; its first line says where.
const server = spawn(rasid, ['serve', index, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let buf = '';
  const timer = setTimeout(() => reject(new Error('server did not start')), 20000);
  server.stdout.on('data', (d) => {
    buf += d;
    const m = buf.match(/http:\/\/127\.0\.0\.1:\d+\//);
    if (m) { clearTimeout(timer); resolve(m[0]); }
  });
  server.on('exit', (code) => reject(new Error('server exited with ' + code)));
});

const profile = join(work, 'profile');
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'ar',
  });
} catch (e) {
  console.log('e2e: skipped: chromium did not start: ' + e.message.split('\n')[0]);
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  process.exit(77);
}

const page = context.pages()[0] || await context.newPage();
const pageErrors = [];
const dialogs = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
const shot = (name) => page.screenshot({ path: join(outDir, name), fullPage: true });

try {
  // 1. Search for an Arabic word; results with highlighted words.
  await page.goto(base);
  await page.waitForSelector('#view-home:not([hidden])');
  check('home shows the document count', /3[,٬]?001/.test(await page.textContent('#home-stats')),
        await page.textContent('#home-stats'));
  check('page is rtl Arabic', await page.evaluate(() => document.documentElement.dir === 'rtl' &&
                                                          document.documentElement.lang === 'ar'));
  await page.fill('#q', 'الحكومة');
  await page.press('#q', 'Enter');
  await page.waitForSelector('.hit');
  check('query in the URL', new URL(page.url()).searchParams.get('q') === 'الحكومة', page.url());
  const hits = await page.$$eval('.hit', (h) => h.length);
  check('ten results on the first page', hits === 10, hits);
  const marks = await page.$$eval('.hit .snippet mark.hl', (m) => m.map((x) => x.textContent));
  check('snippets have highlights', marks.length >= 10, marks.length);
  check('highlights are the searched word (UTF-8 offsets mapped to the string)',
        marks.every((t) => t.includes('حكوم')), JSON.stringify(marks.slice(0, 5)));
  check('the Arabic fonts load', await page.evaluate(async () => {
    await document.fonts.ready;
    return document.fonts.check('16px "Rasid Naskh"', 'حكومة');
  }));
  await shot('01-search.png');

  // 2. A facet: restricts to one source and says so in the query.
  const facet = await page.$('#facets .facet[data-field="source"]');
  const source = await facet.getAttribute('data-value');
  const facetCount = await facet.$eval('.count', (c) => c.textContent.replace(/[^0-9]/g, ''));
  await facet.click();
  await page.waitForFunction((s) => new URL(location.href).searchParams.get('q').includes('source:' + s), source);
  await page.waitForSelector('.hit');
  const sources = await page.$$eval('.hit .source', (s) => s.map((x) => x.textContent));
  check('facet filters the results', sources.length > 0 && sources.every((s) => s === source),
        source + ' vs ' + JSON.stringify(sources));
  await page.waitForFunction(() => document.getElementById('summary').dataset.total !== undefined);
  check('as many results as the facet counted',
        (await page.getAttribute('#summary', 'data-total')) === facetCount, facetCount);
  check('facet shows as active', await page.$('#facets .facet.active') !== null);
  check('search box shows the filter', (await page.inputValue('#q')).includes('source:' + source));
  await shot('02-facet.png');

  // 3. Back button: the unfiltered results again.
  await page.goBack();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'الحكومة');
  await page.waitForSelector('.hit');
  check('back button restores the query', (await page.inputValue('#q')) === 'الحكومة');

  // 4. Pagination.
  await page.click('#pager a.next');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '2');
  await page.waitForSelector('#pager .current');
  check('page 2', (await page.textContent('#pager .current')) === '2');

  // 5. An article: its text with the query's words marked, the legend and the panel.
  const title = await page.textContent('.hit .hit-title a');
  await page.click('.hit .hit-title a');
  await page.waitForSelector('#view-doc:not([hidden]) #doc-text mark');
  check('article title', (await page.textContent('#doc-title')) === title);
  const docMarks = await page.$$eval('#doc-text mark.hl', (m) => m.map((x) => x.textContent));
  check('article highlights', docMarks.length > 0 && docMarks.every((t) => t.includes('حكوم')),
        JSON.stringify(docMarks.slice(0, 5)));
  check('annotation legend', (await page.$$('#legend li')).length === 5);
  const entityMarks = await page.$$eval('#doc-text mark.ann-entity', (m) => m.map((x) => [x.textContent, x.title]));
  check('entities marked in the article, with their name on hover',
        entityMarks.length > 0 && entityMarks.every(([t, title]) => t && title), JSON.stringify(entityMarks.slice(0, 3)));
  check('side panel lists them', (await page.$$('#annotation-list [data-kind="entities"] li')).length > 0);
  await shot('03-article.png');

  // 6. The timeline of the query.
  await page.goto(base + '?q=' + encodeURIComponent('الحكومة'));
  await page.waitForSelector('.hit');
  await page.click('#nav-timeline');
  await page.waitForSelector('svg.chart rect.bar');
  const bars = await page.$$eval('svg.chart rect.bar', (b) => b.map((x) => Number(x.dataset.count)));
  check('timeline has monthly bars', bars.length >= 3 && bars.some((n) => n > 0), JSON.stringify(bars));
  check('timeline view in the URL', new URL(page.url()).searchParams.get('view') === 'timeline');
  await shot('04-timeline.png');
  await page.click('[data-interval="week"]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('interval') === 'week');
  await page.waitForFunction((n) => document.querySelectorAll('svg.chart rect.bar').length > n, bars.length);
  check('weekly timeline has more bars', true);
  // A bar leads to its articles.
  await page.click('svg.chart rect.bar[data-count]:not([data-count="0"])');
  await page.waitForSelector('#view-search:not([hidden]) .hit');
  check('a bar opens its articles', (await page.inputValue('#q')).includes('date:'));

  // 7. The entity view: the people, organisations and places of the results;
  // one of them: its timeline and who is named with it.
  await page.goto(base + '?q=' + encodeURIComponent('الحكومة'));
  await page.waitForSelector('.hit');
  check('entity facets', (await page.$$('#facets .facet[data-field="person"]')).length > 0);
  await page.click('#nav-entities');
  await page.waitForSelector('#entities-list .entity a');
  const entityLink = await page.$('#entities-list .entity a');
  const entityName = await entityLink.textContent();
  await shot('07-entities.png');
  await entityLink.click();
  await page.waitForSelector('svg.chart rect.bar');
  check('an entity opens its timeline', (await page.textContent('#timeline-title')).includes(entityName) &&
        new URL(page.url()).searchParams.get('q').includes(entityName), page.url());
  await page.waitForSelector('#timeline-entities .entity', { timeout: 15000 }).catch(() => {});
  check('who is named with it', (await page.$$('#timeline-entities .entity')).length > 0);
  await shot('08-entity-timeline.png');

  // 8. Nothing from an article or a query runs as HTML.
  await page.goto(base + '?q=' + encodeURIComponent('id:xss-1'));
  await page.waitForSelector('.hit');
  check('hostile title shown as text',
        (await page.textContent('.hit .hit-title a')) === '<img src=x onerror=alert(1)>');
  check('no element made from article text', (await page.$$('#results img, #results script, #results i')).length === 0);
  await page.click('.hit .hit-title a');
  await page.waitForSelector('#view-doc:not([hidden]) #doc-text');
  check('hostile article text shown as text', (await page.textContent('#doc-text')).includes('<script>alert(2)</script>'));
  check('no element made in the article', (await page.$$('#article img, #doc-text script, #doc-text b')).length === 0);
  check('javascript: url not linked', (await page.$$('#doc-meta a')).length === 0);
  const figure = await page.$$eval('#doc-text mark.ann-number', (m) => m.map((x) => [x.textContent, x.title]));
  check('a figure marked with its value on hover (7٫7 مليون -> 7,700,000)',
        figure.some(([t, title]) => t.includes('7٫7') && title.includes('7,700,000')), JSON.stringify(figure));
  await shot('05-hostile-article.png');
  const hostileQuery = '<img src=y onerror=alert(4)> "<script>alert(5)</script>"';
  await page.goto(base + '?q=' + encodeURIComponent(hostileQuery));
  await page.waitForSelector('#summary bdi.query');
  check('hostile query shown as text', (await page.textContent('#summary bdi.query')) === hostileQuery);
  check('no element made from the query', (await page.$$('main img, main script')).length === 0);
  check('no dialog opened', dialogs.length === 0, JSON.stringify(dialogs));

  // 9. A bad query: the parser's message, not a crash.
  await page.goto(base + '?q=' + encodeURIComponent('(غزة'));
  await page.waitForSelector('#status.error');
  check('bad query message', (await page.textContent('#status')).includes('unbalanced parenthesis'));

  // 10. A phone-sized screen: no sideways scrolling, results before facets.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '?q=' + encodeURIComponent('«كأس العالم»'));
  await page.waitForSelector('.hit');
  check('no horizontal overflow on a narrow screen',
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
        await page.evaluate(() => document.documentElement.scrollWidth));
  await page.screenshot({ path: join(outDir, '06-narrow-screen.png') });
  check('no script errors', pageErrors.length === 0, JSON.stringify(pageErrors));
} catch (e) {
  check('e2e run', false, e.stack);
  await shot('error.png').catch(() => {});
} finally {
  await context.close();
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
