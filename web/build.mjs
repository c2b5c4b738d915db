// Builds the dashboard (docs/DASHBOARD.md) into web/dist, which `rmct serve` serves when it holds an
// index.html: src/main.js and everything it imports (ECharts, topojson-client; the npm packages of
// package-lock.json, installed by scripts/setup with `npm ci`) bundled by esbuild into one
// content-hashed script and style sheet, Natural Earth's country shapes (world-atlas, 1:50m) as a
// content-hashed asset, and a table from ISO 3166 numeric codes (the shapes' ids) to the alpha-3
// codes the API uses, read from Debian's iso-codes. `make` runs it when a source changes.
//   node web/build.mjs
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(web, 'src');
const out = path.join(web, 'dist');
const tmp = path.join(web, 'dist.new');
const ISO = process.env.RMCT_ISO_CODES || '/usr/share/iso-codes/json/iso_3166-1.json';

function fail(msg) {
  console.error('web/build.mjs: ' + msg);
  process.exit(1);
}

// ISO 3166-1 from iso-codes: numeric -> alpha-3, alpha-3 -> alpha-2 (country names come from the
// browser's Intl.DisplayNames in the chosen language, the API's English name otherwise).
let iso;
try {
  iso = JSON.parse(fs.readFileSync(ISO, 'utf8'))['3166-1'];
} catch (e) {
  fail(`cannot read ${ISO} (Debian's iso-codes; scripts/setup installs it): ${e.message}`);
}
const numeric = {}, alpha2 = {}, byName = {};
for (const c of iso) {
  numeric[c.numeric] = c.alpha_3;
  alpha2[c.alpha_3] = c.alpha_2;
  for (const n of [c.name, c.common_name, c.official_name]) if (n) byName[n] = c.alpha_3;
}
// The API names a country by its display name where RMCT has one (data/country_display.csv), for
// answers that give a name without its code (the supply ranking's top producer).
const display = path.join(web, '..', 'data', 'country_display.csv');
if (fs.existsSync(display))
  for (const line of fs.readFileSync(display, 'utf8').split('\n').slice(1)) {
    const m = /^([A-Z]{3}),("([^"]*)"|[^,]*),/.exec(line);
    if (m) byName[m[3] !== undefined ? m[3] : m[2]] = m[1];
  }
const countriesModule = `export const numericToIso3 = ${JSON.stringify(numeric)};
export const iso3ToIso2 = ${JSON.stringify(alpha2)};
export const iso3ByName = ${JSON.stringify(byName)};
`;

const hash8 = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 8);

fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(path.join(tmp, 'assets'), { recursive: true });

// The world map's shapes: fetched by the metal page only, cached by the browser (hashed name).
const worldSrc = path.join(web, 'node_modules', 'world-atlas', 'countries-50m.json');
if (!fs.existsSync(worldSrc)) fail('web/node_modules is missing or incomplete: run scripts/setup (npm ci in web/)');
const world = fs.readFileSync(worldSrc);
const worldName = `countries-50m-${hash8(world)}.json`;
fs.writeFileSync(path.join(tmp, 'assets', worldName), world);

const result = await build({
  entryPoints: [path.join(src, 'main.js')],
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir: path.join(tmp, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  define: { __WORLD_URL__: JSON.stringify('assets/' + worldName) },
  plugins: [{
    name: 'rmct-countries',
    setup(b) {
      b.onResolve({ filter: /^rmct:countries$/ }, (a) => ({ path: a.path, namespace: 'rmct' }));
      b.onLoad({ filter: /.*/, namespace: 'rmct' }, () => ({ contents: countriesModule, loader: 'js' }));
    },
  }],
}).catch(() => fail('esbuild failed (see above)'));

const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
const js = outputs.find((f) => /^main-.*\.js$/.test(f));
const css = outputs.find((f) => /^main-.*\.css$/.test(f));
if (!js || !css) fail('esbuild wrote no main script or style sheet');
const html = fs.readFileSync(path.join(src, 'index.html'), 'utf8')
  .replace('%APP_JS%', 'assets/' + js)
  .replace('%APP_CSS%', 'assets/' + css);
fs.writeFileSync(path.join(tmp, 'index.html'), html);
fs.copyFileSync(path.join(src, 'favicon.svg'), path.join(tmp, 'favicon.svg'));

// Replace the old build in one step (a running server keeps serving a whole build).
const old = path.join(web, 'dist.old');
fs.rmSync(old, { recursive: true, force: true });
if (fs.existsSync(out)) fs.renameSync(out, old);
fs.renameSync(tmp, out);
fs.rmSync(old, { recursive: true, force: true });
const size = (f) => fs.statSync(path.join(out, 'assets', f)).size;
console.log(`web/dist: ${js} (${Math.round(size(js) / 1024)} KiB), ${css}, ${worldName}`);
