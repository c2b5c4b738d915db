// Charts: ECharts (only the parts used, bundled), the world map from Natural Earth's country shapes
// (world-atlas TopoJSON, ids are ISO 3166 numeric codes, turned into the API's alpha-3 codes), and
// a registry of live charts that the browser tests read (window.__rmct.charts()).
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart, MapChart, CustomChart, PieChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkLineComponent,
  MarkAreaComponent, TitleComponent, DataZoomComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { feature } from 'topojson-client';
import { numericToIso3 } from 'rmct:countries';

echarts.use([BarChart, LineChart, ScatterChart, MapChart, CustomChart, PieChart, GridComponent, TooltipComponent,
  LegendComponent, VisualMapComponent, MarkLineComponent, MarkAreaComponent, TitleComponent, DataZoomComponent,
  CanvasRenderer]);

export { echarts };

// Colours: readable on a screen and on a washed-out projector.
export const C = {
  blue: '#1f5f99', teal: '#138086', orange: '#d9730d', red: '#c62828', green: '#2e7d32', grey: '#7a8591',
  gold: '#c9a227', purple: '#6a4c93', light: '#dfe7ef',
};
export const PALETTE = ['#1f5f99', '#d9730d', '#138086', '#c62828', '#6a4c93', '#2e7d32', '#c9a227', '#7a8591',
  '#0b3c5d', '#e57373', '#4db6ac', '#9575cd'];

const live = new Map(); // element -> {chart, name, observer}

export const baseFont = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
const FONT = '"Noto Sans KR", "Nanum Gothic", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo", system-ui, sans-serif';

// A chart in el (which has a size from the style sheet) named for the tests.
export function chart(el, name, option) {
  const f = Math.round(baseFont() * 0.85);
  let entry = live.get(el);
  if (!entry) {
    const c = echarts.init(el, null, { renderer: 'canvas' });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    entry = { chart: c, name, observer };
    live.set(el, entry);
    el.dataset.chart = name;
  }
  entry.chart.setOption({
    color: PALETTE,
    animationDuration: 300,
    textStyle: { fontFamily: FONT, fontSize: f },
    tooltip: { confine: true, textStyle: { fontSize: f } },
    ...option,
  }, true);
  return entry.chart;
}

// Dispose of the charts under root (a view being replaced).
export function disposeIn(root) {
  for (const [el, e] of live) {
    if (!root || root.contains(el) || !el.isConnected) {
      e.observer.disconnect();
      e.chart.dispose();
      live.delete(el);
    }
  }
}

// For the tests: every live chart, its series and how many data points each has, and whether its
// canvas has anything drawn on it.
export function stats() {
  const out = [];
  for (const [el, e] of live) {
    if (!el.isConnected) continue;
    const opt = e.chart.getOption();
    const series = (opt.series || []).map((s) => ({ type: s.type, name: s.name || '', n: Array.isArray(s.data) ? s.data.length : 0 }));
    let inked = 0;
    const canvas = el.querySelector('canvas');
    if (canvas && canvas.width && canvas.height) {
      const ctx = canvas.getContext('2d');
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < d.length; i += 16) if (d[i] > 0) inked++;
    }
    out.push({ name: e.name, series, inked, width: el.clientWidth, height: el.clientHeight });
  }
  return out;
}

// ---------------- the world map ----------------

let world = null;
export function loadWorld() {
  if (!world) {
    world = fetch(__WORLD_URL__).then((r) => {
      if (!r.ok) throw new Error('world map: HTTP ' + r.status);
      return r.json();
    }).then((topo) => {
      const geo = feature(topo, topo.objects.countries);
      geo.features = geo.features.filter((f) => f.id !== '010'); // Antarctica: no producers, much space
      for (const f of geo.features) {
        f.properties = { name: numericToIso3[f.id] || f.properties.name };
        unwrap(f.geometry);
      }
      echarts.registerMap('world', geo);
      return true;
    });
    world.catch(() => { world = null; });
  }
  return world;
}

// ECharts draws longitude and latitude on a plane: a ring that crosses the 180th meridian (Russia's
// far east, Fiji) would be drawn across the whole map, so its western longitudes go past 180.
function unwrap(g) {
  if (!g) return;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of polys) {
    for (const ring of poly) {
      let lo = 180, hi = -180;
      for (const p of ring) { if (p[0] < lo) lo = p[0]; if (p[0] > hi) hi = p[0]; }
      if (hi - lo > 180) for (const p of ring) if (p[0] < 0) p[0] += 360;
    }
  }
}

// ---------------- shared pieces ----------------

export const axisLabel = (fmt) => ({ formatter: (v) => fmt(v) });
export function grid(extra) {
  return { left: 8, right: 16, top: 36, bottom: 8, containLabel: true, ...extra };
}
