// Turns each dashboards/*.json into generated/<name>.ts: the dashboard as an object literal that `satisfies`
// Grafana's Dashboard type, and each panel again as a literal that satisfies its plugin's panel type. A literal
// (not an imported .json, whose strings TypeScript widens to `string`) keeps string values literal, so enum-like
// fields are checked, and excess properties are errors. Also fails on what the types cannot express: file name =
// uid, the ${datasource} and $instance variables, unique panel ids, queries on the ${datasource} variable.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dashboardsDir = join(here, '..', '..', '..', 'dashboards');
const outDir = join(here, 'generated');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir);

// Panel plugin id → the type in src/json.ts its JSON must satisfy.
const PANEL_TYPES = {
  row: 'CheckedRow',
  timeseries: 'TimeseriesPanel',
  stat: 'StatPanel',
  bargauge: 'BargaugePanel',
  text: 'TextPanel',
};

const problems = [];
const files = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) problems.push(`no dashboards in ${dashboardsDir}`);

for (const file of files) {
  const dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8'));
  const where = `dashboards/${file}`;
  if (`${dashboard.uid}.json` !== file) problems.push(`${where}: uid "${dashboard.uid}" does not match the file name`);
  const variables = new Map((dashboard.templating?.list ?? []).map((v) => [v.name, v]));
  if (variables.get('datasource')?.type !== 'datasource' || variables.get('datasource')?.query !== 'prometheus') {
    problems.push(`${where}: needs a Prometheus data source variable named "datasource"`);
  }
  if (!/^label_values\(.*,\s*instance\)$/.test(variables.get('instance')?.query ?? '')) {
    problems.push(`${where}: needs an "instance" variable = label_values(…, instance)`);
  }
  const flat = [];
  for (const panel of dashboard.panels ?? []) {
    flat.push(panel);
    if (panel.type === 'row') flat.push(...panel.panels);
  }
  const ids = new Set();
  for (const panel of flat) {
    if (ids.has(panel.id)) problems.push(`${where}: duplicate panel id ${panel.id}`);
    ids.add(panel.id);
    for (const t of panel.targets ?? []) {
      if (t.datasource?.uid !== '${datasource}') problems.push(`${where}: "${panel.title}" ${t.refId} is not on \${datasource}`);
      if (!/\$instance\b/.test(t.expr)) problems.push(`${where}: "${panel.title}" ${t.refId} is not filtered by $instance`);
    }
  }
  const literal = (value) => JSON.stringify(value, null, 2);
  const panelChecks = [];
  for (const p of flat) {
    const type = PANEL_TYPES[p.type];
    if (!type) {
      problems.push(`${where}: panel "${p.title}" has type "${p.type}", which src/json.ts has no schema type for`);
      continue;
    }
    panelChecks.push(`  ${literal(p).replace(/\n/g, '\n  ')} satisfies ${type},`);
  }
  writeFileSync(join(outDir, file.replace(/\.json$/, '.ts')), [
    `// Generated from ${where} by generate.mjs — do not edit.`,
    `import type { ${['CheckedDashboard', ...new Set(Object.values(PANEL_TYPES))].join(', ')} } from '../src/json';`,
    ``,
    `export const dashboard = ${literal(dashboard)} satisfies CheckedDashboard;`,
    ``,
    `export const panels = [`,
    ...panelChecks,
    `];`,
    ``,
  ].join('\n'));
}

if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.error(`schema-check: ${files.length} dashboards written as TypeScript for tsc`);
