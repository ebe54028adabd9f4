#!/usr/bin/env node
// Checks a built summit-gen site the way its readers get it, and says what is wrong.
//
//   node tests/browser/check.mjs <built site> <screenshot folder>
//
// 1. Valid HTML: every .html file through the W3C Nu HTML checker (vnu-jar, needs `java`).
// 2. Light: the post (index.html + its stylesheets) under 50 KB; no script but JSON-LD;
//    every stylesheet, script, image, media and font same-origin; no web fonts.
// 3. Accessible: axe-core in headless Chromium (Debian's /usr/bin/chromium, driven by
//    playwright-core, which never downloads a browser) on the post, every talk page, the
//    speakers, tags and 404 pages, in light and dark; no sideways scrolling at 320 and 360 px;
//    the skip link is the first Tab stop and shows when focused.
// 4. Screenshots of the post at 375 and 1280 px, light and dark, into the screenshot folder.
//
// The site is served over HTTP on 127.0.0.1 at the path of its canonical URL (as GitHub Pages
// would), never from file://, and the browser may load nothing from anywhere else. Prints one
// report and exits 1 on any problem (2 on bad usage).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODULES = path.join(HERE, 'node_modules');
const VNU_JAR = path.join(MODULES, 'vnu-jar', 'build', 'dist', 'vnu.jar');
const AXE_JS = path.join(MODULES, 'axe-core', 'axe.min.js');
const CHROMIUM = process.env.SUMMIT_GEN_CHROMIUM || '/usr/bin/chromium';
const WEIGHT_LIMIT = 50 * 1024;
const SCREENSHOT_HEIGHT = 2000;
const NARROW = [320, 360];

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !shotsArg) {
  console.error('usage: node check.mjs <built site folder> <screenshot folder>');
  process.exit(2);
}
const SITE = path.resolve(siteArg);
const SHOTS = path.resolve(shotsArg);
if (!fs.existsSync(path.join(SITE, 'index.html'))) {
  console.error(`error: ${SITE} has no index.html; build the site first`);
  process.exit(2);
}

const problems = [];
const problem = (text) => {
  if (!problems.includes(text)) problems.push(text);
};
const say = (text) => console.log(text);
const bytes = (n) => `${n.toLocaleString('en')} B`;

/** Every file below `dir` ending in `ext`, relative, sorted. */
function files(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(path.relative(SITE, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const read = (rel) => fs.readFileSync(path.join(SITE, rel), 'utf8');
const HTML = files(SITE, '.html');
const CSS = files(SITE, '.css');

// The published address, from the post's canonical link: the site is served at its path.
const canonical = /<link rel="canonical" href="([^"]+)">/.exec(read('index.html'))?.[1];
const BASE = canonical ? new URL(canonical) : null;
const BASE_PATH = BASE ? BASE.pathname.replace(/\/?$/, '/') : '/';

// ---------------------------------------------------------------- 1. Nu HTML checker
function validate() {
  const run = spawnSync(
    'java',
    ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...HTML],
    { cwd: SITE, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error) {
    problem(`vnu: could not run java (${run.error.message}); install Java 11 or later`);
    say(`== Nu HTML checker: not run`);
    return;
  }
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    problem(`vnu: unreadable output (exit ${run.status}):\n${run.stderr}${run.stdout}`);
    return;
  }
  const errors = report.messages.filter((m) => m.type !== 'info');
  say(`== Nu HTML checker ${report.version}: ${HTML.length} pages, ${errors.length} errors`);
  for (const m of errors) {
    const file = m.url ? path.relative(SITE, fileURLToPath(m.url)) : '?';
    problem(`vnu: ${file}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.message}`);
  }
  if (run.status !== 0 && errors.length === 0) {
    problem(`vnu: exited ${run.status}: ${run.stderr}`);
  }
}

// ---------------------------------------------------------------- 2. Light pages
/** Attributes of every tag `name` in `html`. */
function tags(html, name) {
  const out = [];
  for (const m of html.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'gi'))) {
    const attrs = {};
    for (const a of m[1].matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs[a[1].toLowerCase()] = (a[2] ?? a[3] ?? a[4] ?? '').replaceAll('&amp;', '&');
    }
    out.push(attrs);
  }
  return out;
}

/** Whether a resource URL stays on the site: relative, data:, or the canonical origin. */
function sameOrigin(url) {
  const u = url.trim();
  if (u.startsWith('data:')) return true;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(u) && !u.startsWith('//')) return true;
  try {
    return BASE !== null && new URL(u, BASE).origin === BASE.origin;
  } catch {
    return false;
  }
}

function light() {
  // Weight of the post: the page and its stylesheets, before images.
  const post = read('index.html');
  const sheets = tags(post, 'link')
    .filter((a) => (a.rel || '').split(/\s+/).includes('stylesheet') && sameOrigin(a.href))
    .map((a) => path.posix.normalize(a.href.replace(/[?#].*$/, '')));
  let total = Buffer.byteLength(post);
  const parts = [`index.html ${bytes(total)}`];
  for (const s of sheets) {
    const n = fs.statSync(path.join(SITE, s)).size;
    total += n;
    parts.push(`${s} ${bytes(n)}`);
  }
  say(`== Weight of the post: ${parts.join(' + ')} = ${bytes(total)} (limit ${bytes(WEIGHT_LIMIT)})`);
  if (total >= WEIGHT_LIMIT) problem(`weight: the post is ${bytes(total)}, over ${bytes(WEIGHT_LIMIT)}`);

  // Scripts and resources of every page.
  let resources = 0;
  let fonts = 0;
  for (const rel of HTML) {
    const html = read(rel);
    for (const s of tags(html, 'script')) {
      if (s.type !== 'application/ld+json' || s.src !== undefined) {
        problem(`script: ${rel}: <script${s.type ? ` type="${s.type}"` : ''}${s.src ? ` src="${s.src}"` : ''}>: only JSON-LD metadata is allowed; pages must read without JavaScript`);
      }
    }
    if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) problem(`script: ${rel}: an inline event handler (on…=)`);
    const urls = [];
    for (const a of tags(html, 'link')) {
      const rels = (a.rel || '').split(/\s+/);
      if (rels.some((r) => ['stylesheet', 'icon', 'preload', 'modulepreload', 'prefetch', 'manifest', 'apple-touch-icon'].includes(r))) urls.push(a.href);
    }
    for (const [tag, names] of [['script', ['src']], ['img', ['src', 'srcset']], ['source', ['src', 'srcset']], ['video', ['src', 'poster']], ['audio', ['src']], ['track', ['src']], ['iframe', ['src']], ['embed', ['src']], ['object', ['data']], ['input', ['src']]]) {
      for (const a of tags(html, tag)) {
        for (const n of names) {
          if (a[n] === undefined) continue;
          if (n === 'srcset') urls.push(...a[n].split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean));
          else urls.push(a[n]);
        }
      }
    }
    for (const u of urls) {
      resources += 1;
      if (!sameOrigin(u)) problem(`third party: ${rel} loads ${u}`);
    }
  }
  for (const rel of CSS) {
    const css = read(rel);
    if (/@font-face/i.test(css)) {
      fonts += 1;
      problem(`fonts: ${rel} has @font-face; use system fonts only`);
    }
    for (const m of css.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)/gi)) {
      resources += 1;
      const u = m[1] ?? m[2];
      if (!sameOrigin(u)) problem(`third party: ${rel} loads ${u}`);
    }
  }
  say(`== Scripts and resources: ${HTML.length} pages, ${CSS.length} stylesheets, ${resources} resources checked; ${fonts === 0 ? 'system fonts only' : 'WEB FONTS'}`);
}

// ---------------------------------------------------------------- the site over HTTP
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.xml': 'application/xml',
  '.ics': 'text/calendar', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp',
  '.avif': 'image/avif', '.ico': 'image/x-icon', '.js': 'text/javascript', '.json': 'application/json',
  '.woff2': 'font/woff2', '.pdf': 'application/pdf',
};

/** Serves SITE at BASE_PATH, with 404.html for anything else, like GitHub Pages. */
function serve() {
  const server = http.createServer((req, res) => {
    const send = (status, file) => {
      res.writeHead(status, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    };
    const notFound = () => {
      const page = path.join(SITE, '404.html');
      if (fs.existsSync(page)) send(404, page);
      else res.writeHead(404).end('not found');
    };
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return notFound();
    }
    if (!rel.startsWith(BASE_PATH) || rel.includes('\0')) return notFound();
    let file = path.join(SITE, rel.slice(BASE_PATH.length));
    if (!file.startsWith(SITE)) return notFound();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!rel.endsWith('/')) {
        res.writeHead(301, { location: `${rel}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return notFound();
    send(200, file);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------- 3. In the browser
const ROW = (page) => page.padEnd(44);

async function inBrowser(origin) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const axeSource = fs.readFileSync(AXE_JS, 'utf8');
  const axeVersion = JSON.parse(fs.readFileSync(path.join(MODULES, 'axe-core', 'package.json'), 'utf8')).version;
  const root = `${origin}${BASE_PATH}`;

  /** A page that may load nothing but the local site. */
  async function open(options) {
    const context = await browser.newContext({ reducedMotion: 'reduce', ...options });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      problem(`third party: the browser was asked for ${url}`);
      return route.abort();
    });
    context.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') {
        problem(`missing: ${r.url().slice(origin.length)} answered ${r.status()}`);
      }
    });
    return context;
  }

  try {
    say(`== axe-core ${axeVersion} in Chromium ${browser.version()}`);
    const pages = ['index.html', ...HTML.filter((p) => /^talks\/[^/]+\/index\.html$/.test(p)), 'speakers/index.html', 'tags/index.html', '404.html']
      .filter((p, i, all) => HTML.includes(p) && all.indexOf(p) === i);
    const urlOf = (p) => (p === '404.html' ? `${root}no-such-page/` : root + p.replace(/index\.html$/, ''));
    for (const scheme of ['light', 'dark']) {
      const context = await open({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      for (const p of pages) {
        await tab.goto(urlOf(p), { waitUntil: 'load' });
        await tab.addScriptTag({ content: axeSource });
        const result = await tab.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const count = result.violations.reduce((n, v) => n + v.nodes.length, 0);
        say(`   ${ROW(p)} ${scheme.padEnd(5)}  ${count === 0 ? '0 violations' : `${count} VIOLATIONS`}`);
        for (const v of result.violations) {
          for (const n of v.nodes) {
            problem(`axe (${scheme}): ${p}: ${v.id} (${v.impact}): ${v.help}\n      at ${n.target.join(' ')}\n      ${n.failureSummary.replaceAll('\n', '\n      ')}`);
          }
        }
      }
      await context.close();
    }

    // Narrow screens: no sideways scrolling.
    for (const width of NARROW) {
      const context = await open({ viewport: { width, height: 800 } });
      const tab = await context.newPage();
      for (const p of pages) {
        await tab.goto(urlOf(p), { waitUntil: 'load' });
        const [scroll, client] = await tab.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        if (scroll > client) problem(`layout: ${p} scrolls sideways at ${width}px (${scroll}px wide)`);
      }
      await context.close();
    }
    say(`== Layout: ${pages.length} pages checked for sideways scrolling at ${NARROW.join(' and ')} px`);

    // Keyboard: the first Tab stop is the skip link, visible and outlined.
    {
      const context = await open({ viewport: { width: 375, height: 800 } });
      const tab = await context.newPage();
      await tab.goto(root, { waitUntil: 'load' });
      await tab.keyboard.press('Tab');
      const focus = await tab.evaluate(() => {
        const el = document.activeElement;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          skip: el.matches('a.skip-link[href="#main"]'),
          visible: box.top >= 0 && box.bottom <= innerHeight && box.width > 0,
          outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          main: document.querySelector('main#main') !== null,
        };
      });
      if (!focus.skip) problem('keyboard: the first Tab stop of the post is not the skip link');
      else if (!focus.visible) problem('keyboard: the skip link is not on screen when focused');
      if (!focus.outlined) problem('keyboard: the focused skip link has no visible outline');
      if (!focus.main) problem('keyboard: the skip link has no <main id="main"> to go to');
      say(`== Keyboard: skip link ${focus.skip && focus.visible && focus.outlined && focus.main ? 'first, visible and outlined on focus' : 'NOT OK'}`);
      await context.close();
    }

    // Screenshots of the post, read with JavaScript off.
    fs.mkdirSync(SHOTS, { recursive: true });
    const shots = [];
    for (const width of [375, 1280]) {
      for (const scheme of ['light', 'dark']) {
        const context = await open({ colorScheme: scheme, javaScriptEnabled: false, viewport: { width, height: 900 } });
        const tab = await context.newPage();
        await tab.goto(root, { waitUntil: 'load' });
        const file = path.join(SHOTS, `post-${width}-${scheme}.png`);
        await tab.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: SCREENSHOT_HEIGHT } });
        shots.push(path.relative(process.cwd(), file) || file);
        await context.close();
      }
    }
    say(`== Screenshots: ${shots.join(', ')}`);
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- main
const started = Date.now();
say(`Checking ${SITE}${BASE ? ` (published at ${BASE.href})` : ''}`);
validate();
light();
const server = await serve();
try {
  await inBrowser(`http://127.0.0.1:${server.address().port}`);
} catch (e) {
  problem(`browser: ${e.stack || e}`);
} finally {
  server.close();
}
say(`== Done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (problems.length > 0) {
  say(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) say(`  - ${p}`);
  process.exit(1);
}
say('\nAll checks passed.');
