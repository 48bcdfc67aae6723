#!/usr/bin/env node
// Writes the Grafana dashboards in dashboards/*.json. The JSON files are what Grafana provisions and what is
// reviewed; this script is how they are edited, so that every panel shares one shape (datasource variable,
// instance filter, units, legend) and grid positions are computed rather than hand-placed.
//
//   node tools/monitoring/dashboards.mjs            # rewrite dashboards/*.json
//   node tools/monitoring/dashboards.mjs --check    # exit 1 if a committed file differs from what this writes
//
// tools/monitoring/check.sh runs --check, type-checks the JSON against @grafana/schema and evaluates every
// query against a Prometheus scraping the demo.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DASHBOARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dashboards');
const DS = { type: 'prometheus', uid: '${datasource}' };
// Every query is restricted to the selected fundwatch instances.
const I = 'instance=~"$instance"';
// Kafka's consumer fetch metrics report a topic whose name contains '.' twice: as itself and, for old JMX
// names, with '.' replaced by '_'. Dropping topics that have '_' and no '.' removes the copy; fundwatch's own
// topic names (CONTRACT.md and "<application.id>-…" internals) never have '_' without '.'.
const NO_DUP_TOPIC = 'topic!~"[^.]*_[^.]*"';
const STREAM_CONSUMER = 'client_id=~".*-StreamThread-[0-9]+-consumer"';
// thread_id is "<client id with process UUID>-StreamThread-N": keep only the stable suffix.
const byThread = (expr) => `label_replace(${expr}, "thread", "$1", "thread_id", ".*-((?:Global)?StreamThread(?:-[0-9]+)?)")`;
// A store's name is in rocksdb_state_id, rocksdb_window_state_id or rocksdb_session_state_id depending on
// its type; exactly one is set, so joining them with no separator gives the name.
const byStore = (expr) =>
  `label_join(${expr}, "store", "", "rocksdb_state_id", "rocksdb_window_state_id", "rocksdb_session_state_id")`;

const THRESHOLDS_NONE = { mode: 'absolute', steps: [{ color: 'green', value: null }] };
const thresholds = (...steps) => ({
  mode: 'absolute',
  steps: [{ color: 'green', value: null }, ...steps.map(([value, color]) => ({ color, value }))],
});
const RISK_THRESHOLDS = thresholds([0.5, 'orange'], [0.8, 'red']);

function target(expr, legendFormat, refId, instant) {
  return {
    datasource: DS,
    editorMode: 'code',
    expr,
    instant,
    legendFormat: legendFormat ?? '__auto',
    range: !instant,
    refId,
  };
}

function targets(queries, instant) {
  return queries.map(([expr, legend], i) => target(expr, legend, String.fromCharCode(65 + i), instant));
}

function timeseries(title, description, queries, { unit = 'short', axisLabel = '', stack = false, min, max, w = 12, h = 8,
  legendTable = false, overrides = [] } = {}) {
  const defaults = {
    color: { mode: 'palette-classic' },
    custom: {
      axisBorderShow: false,
      axisCenteredZero: false,
      axisColorMode: 'text',
      axisLabel,
      axisPlacement: 'auto',
      barAlignment: 0,
      drawStyle: 'line',
      fillOpacity: stack ? 30 : 10,
      gradientMode: 'none',
      hideFrom: { legend: false, tooltip: false, viz: false },
      insertNulls: false,
      lineInterpolation: 'linear',
      lineWidth: 1,
      pointSize: 4,
      scaleDistribution: { type: 'linear' },
      showPoints: 'never',
      spanNulls: false,
      stacking: { group: 'A', mode: stack ? 'normal' : 'none' },
      thresholdsStyle: { mode: 'off' },
    },
    mappings: [],
    thresholds: THRESHOLDS_NONE,
    unit,
  };
  if (min !== undefined) defaults.min = min;
  if (max !== undefined) defaults.max = max;
  return {
    w, h,
    panel: {
      datasource: DS,
      description,
      fieldConfig: { defaults, overrides },
      options: {
        legend: legendTable
          ? { calcs: ['lastNotNull', 'max'], displayMode: 'table', placement: 'right', showLegend: true }
          : { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { hideZeros: false, mode: 'multi', sort: 'desc' },
      },
      targets: targets(queries, false),
      title,
      type: 'timeseries',
    },
  };
}

function stat(title, description, queries, { unit = 'short', th = THRESHOLDS_NONE, mappings = [], colorMode = 'value',
  graphMode = 'none', textMode = 'auto', decimals, min, max, w = 4, h = 4 } = {}) {
  const defaults = { color: { mode: 'thresholds' }, mappings, thresholds: th, unit };
  if (decimals !== undefined) defaults.decimals = decimals;
  if (min !== undefined) defaults.min = min;
  if (max !== undefined) defaults.max = max;
  return {
    w, h,
    panel: {
      datasource: DS,
      description,
      fieldConfig: { defaults, overrides: [] },
      options: {
        colorMode,
        graphMode,
        justifyMode: 'auto',
        orientation: 'auto',
        percentChangeColorMode: 'standard',
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        showPercentChange: false,
        textMode,
        wideLayout: true,
      },
      targets: targets(queries, true),
      title,
      type: 'stat',
    },
  };
}

function bargauge(title, description, queries, { unit = 'short', th = THRESHOLDS_NONE, min, max, decimals, links = [],
  w = 8, h = 8 } = {}) {
  const defaults = { color: { mode: 'thresholds' }, links, mappings: [], thresholds: th, unit };
  if (decimals !== undefined) defaults.decimals = decimals;
  if (min !== undefined) defaults.min = min;
  if (max !== undefined) defaults.max = max;
  return {
    w, h,
    panel: {
      datasource: DS,
      description,
      fieldConfig: { defaults, overrides: [] },
      options: {
        displayMode: 'gradient',
        legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: false },
        maxVizHeight: 300,
        minVizHeight: 16,
        minVizWidth: 8,
        namePlacement: 'auto',
        orientation: 'horizontal',
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        showUnfilled: true,
        sizing: 'auto',
        valueMode: 'color',
      },
      targets: targets(queries, true),
      title,
      type: 'bargauge',
    },
  };
}

function text(title, content, { w = 24, h = 4 } = {}) {
  return {
    w, h,
    panel: {
      description: '',
      options: { code: { language: 'plaintext', showLineNumbers: false, showMiniMap: false }, content, mode: 'markdown' },
      title,
      type: 'text',
    },
  };
}

const row = (title) => ({ row: title });

// Places panels left to right, wrapping at 24 columns; a row header starts a new line.
function layout(items) {
  const panels = [];
  let id = 1;
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  for (const item of items) {
    if (item.row !== undefined || x + item.w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    if (item.row !== undefined) {
      panels.push({ collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, id: id++, panels: [], title: item.row, type: 'row' });
      y += 1;
      continue;
    }
    panels.push({ ...item.panel, gridPos: { h: item.h, w: item.w, x, y }, id: id++ });
    x += item.w;
    lineHeight = Math.max(lineHeight, item.h);
  }
  return panels;
}

const datasourceVariable = {
  hide: 0,
  includeAll: false,
  label: 'Data source',
  multi: false,
  name: 'datasource',
  options: [],
  query: 'prometheus',
  refresh: 1,
  regex: '',
  type: 'datasource',
};

const instanceVariable = {
  current: { text: 'All', value: '$__all' },
  datasource: DS,
  description: 'fundwatch instances (Prometheus targets exposing fundwatch metrics)',
  hide: 0,
  includeAll: true,
  label: 'Instance',
  multi: true,
  name: 'instance',
  options: [],
  query: 'label_values(fundwatch_events_consumed_total, instance)',
  refresh: 2,
  regex: '',
  sort: 1,
  type: 'query',
};

function dashboard({ uid, title, description, panels, variables = [], refresh = '30s', time = 'now-1h' }) {
  return {
    annotations: {
      list: [{
        builtIn: 1,
        datasource: { type: 'grafana', uid: '-- Grafana --' },
        enable: true,
        hide: true,
        iconColor: 'rgba(0, 211, 255, 1)',
        name: 'Annotations & Alerts',
        type: 'dashboard',
      }],
    },
    description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    links: [{
      asDropdown: false,
      icon: 'external link',
      includeVars: true,
      keepTime: true,
      tags: ['fundwatch'],
      targetBlank: false,
      title: 'fundwatch',
      tooltip: '',
      type: 'dashboards',
    }],
    panels: layout(panels),
    refresh,
    schemaVersion: 42,
    tags: ['fundwatch'],
    templating: { list: [datasourceVariable, instanceVariable, ...variables] },
    time: { from: time, to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title,
    uid,
    version: 1,
  };
}

// ---------------------------------------------------------------------------------------------------------------
const overview = dashboard({
  uid: 'fundwatch-overview',
  title: 'fundwatch — early-warning overview',
  description: 'Fund-flow alerts by detector and severity, the riskiest platforms, input and dead letters.',
  panels: [
    stat('Instances up', 'fundwatch targets Prometheus scraped successfully on the last scrape.',
      [[`sum(up{${I}})`, '']], { th: thresholds([1, 'green']), decimals: 0 }),
    stat('CRITICAL alerts, last 1 h', 'CRITICAL alert revisions emitted in the last hour, all detectors.',
      [[`sum(increase(fundwatch_alerts_emitted_total{${I}, severity="CRITICAL"}[1h])) or vector(0)`, '']],
      { th: thresholds([1, 'red']), decimals: 0, colorMode: 'background' }),
    stat('Open findings', 'Findings still open (30 days of event time after their window) across detectors.',
      [[`sum(fundwatch_open_findings{${I}})`, '']], { decimals: 0, th: thresholds([1, 'orange']) }),
    stat('Platforms with risk ≥ 0.8', 'Among the exported top-10 platforms of each instance.',
      [[`count(max by (platform) (fundwatch_platform_risk_score{${I}}) >= 0.8) or vector(0)`, '']],
      { th: thresholds([1, 'red']), decimals: 0 }),
    stat('Input', 'Valid input records accepted per second, all topics.',
      [[`sum(rate(fundwatch_events_consumed_total{${I}}[$__rate_interval]))`, '']],
      { unit: 'short', graphMode: 'area', decimals: 1 }),
    stat('Dead letters, last 1 h', 'Records routed to fundwatch.dlq in the last hour.',
      [[`sum(increase(fundwatch_dead_letters_total{${I}}[1h])) or vector(0)`, '']],
      { th: thresholds([1, 'orange']), decimals: 0 }),

    row('Alerts'),
    timeseries('Alert rate by detector and severity',
      'Alert revisions emitted per minute (fundwatch_alerts_emitted_total), by detector and severity.',
      [[`60 * sum by (detector, severity) (rate(fundwatch_alerts_emitted_total{${I}}[$__rate_interval]))`,
        '{{detector}} · {{severity}}']], { axisLabel: 'alerts/min', w: 16 }),
    bargauge('Top risky platforms',
      'The 10 highest platform risk scores (1 − Π(1 − score) over open findings). Click a bar to drill down.',
      [[`topk(10, max by (platform, region) (fundwatch_platform_risk_score{${I}}))`, '{{platform}} ({{region}})']],
      {
        min: 0, max: 1, decimals: 2, th: RISK_THRESHOLDS,
        links: [{ title: 'Platform drill-down', url: '/d/fundwatch-platform/fundwatch-platform?var-platform=${__field.labels.platform}&${__url_time_range}&${datasource:queryparam}' }],
      }),
    bargauge('CRITICAL alerts by detector, last 1 h', 'CRITICAL alert revisions emitted in the last hour.',
      [[`sum by (detector) (increase(fundwatch_alerts_emitted_total{${I}, severity="CRITICAL"}[1h]))`, '{{detector}}']],
      { decimals: 0, th: thresholds([1, 'red']) }),
    bargauge('Open findings by detector', 'fundwatch_open_findings, summed over instances.',
      [[`sum by (detector) (fundwatch_open_findings{${I}})`, '{{detector}}']], { decimals: 0 }),
    timeseries('Detection latency (event time → emission)',
      'p50 and p95 of the time from the newest contributing event to the alert, over 5 min. Windowed detectors ' +
      'judge a window after it closes (plus grace), so hours are normal for them. The largest bucket is 1 day: ' +
      '86400 s means "a day or more" (the demo replays months of event time in minutes, so it reads 86400 there).',
      [[`histogram_quantile(0.95, sum by (detector, le) (rate(fundwatch_alert_latency_seconds_bucket{${I}}[5m])))`, 'p95 {{detector}}'],
        [`histogram_quantile(0.50, sum by (detector, le) (rate(fundwatch_alert_latency_seconds_bucket{${I}}[5m])))`, 'p50 {{detector}}']],
      { unit: 's', w: 8 }),

    row('Input and dead letters'),
    timeseries('Events consumed per topic', 'Valid input records accepted per second (fundwatch_events_consumed_total).',
      [[`sum by (topic) (rate(fundwatch_events_consumed_total{${I}}[$__rate_interval]))`, '{{topic}}']],
      { axisLabel: 'records/s' }),
    timeseries('Dead letters by topic and reason',
      'Records routed to fundwatch.dlq per second. Each carries its reason in the fundwatch.error header.',
      [[`sum by (topic, reason) (rate(fundwatch_dead_letters_total{${I}}[$__rate_interval]))`, '{{topic}} · {{reason}}']],
      { axisLabel: 'records/s' }),
    timeseries('Redeliveries ignored per topic', 'Input records dropped as duplicates of an event id already seen.',
      [[`sum by (topic) (rate(fundwatch_duplicates_total{${I}}[$__rate_interval]))`, '{{topic}}']],
      { axisLabel: 'records/s' }),
    timeseries('Late events per detector', 'Events that arrived after their window had closed (past grace).',
      [[`sum by (detector) (rate(fundwatch_late_events_total{${I}}[$__rate_interval]))`, '{{detector}}']],
      { axisLabel: 'records/s' }),
  ],
});

const STATE_MAPPINGS = [{
  options: {
    0: { color: 'blue', index: 0, text: 'CREATED' },
    1: { color: 'yellow', index: 1, text: 'REBALANCING' },
    2: { color: 'green', index: 2, text: 'RUNNING' },
    3: { color: 'orange', index: 3, text: 'PENDING_SHUTDOWN' },
    4: { color: 'red', index: 4, text: 'NOT_RUNNING' },
    5: { color: 'red', index: 5, text: 'PENDING_ERROR' },
    6: { color: 'red', index: 6, text: 'ERROR' },
  },
  type: 'value',
}];

const pipeline = dashboard({
  uid: 'fundwatch-pipeline',
  title: 'fundwatch — pipeline health',
  description: 'Kafka Streams throughput, lag, latency, state stores and the JVM of each fundwatch instance.',
  panels: [
    stat('Kafka Streams state', 'KafkaStreams.State of the worst instance (RUNNING is healthy).',
      [[`max(kafka_stream_client_state{${I}})`, '']], { mappings: STATE_MAPPINGS, colorMode: 'background' }),
    stat('Alive stream threads', 'Stream threads alive, all instances.',
      [[`sum(kafka_stream_alive_stream_threads{${I}})`, '']], { decimals: 0, th: thresholds([1, 'green']) }),
    stat('Failed stream threads, last 1 h', 'Stream threads that died and were replaced in the last hour.',
      [[`sum(increase(kafka_stream_failed_stream_threads_total{${I}}[1h]))`, '']],
      { decimals: 0, th: thresholds([1, 'red']) }),
    stat('Max consumer lag', 'Largest records-lag-max of any stream-thread consumer.',
      [[`max(kafka_consumer_fetch_manager_records_lag_max{${I}, ${STREAM_CONSUMER}})`, '']],
      { decimals: 0, th: thresholds([10000, 'orange'], [100000, 'red']) }),
    stat('Process rate', 'Records processed per second, all stream threads.',
      [[`sum(kafka_stream_thread_process_rate{${I}})`, '']], { graphMode: 'area', decimals: 0 }),
    stat('Heap used', 'JVM heap in use, all instances.',
      [[`sum(jvm_memory_used_bytes{${I}, area="heap"})`, '']], { unit: 'bytes', graphMode: 'area' }),

    row('Throughput'),
    timeseries('Records in per topic', 'Records consumed by the topology per second, by source topic (input, repartition, validated copies).',
      [[`sum by (topic) (rate(kafka_stream_topic_records_consumed_total{${I}}[$__rate_interval]))`, '{{topic}}']],
      { axisLabel: 'records/s', legendTable: true }),
    timeseries('Records out per topic', 'Records produced by the topology per second, by sink topic (alerts, DLQ, repartition).',
      [[`sum by (topic) (rate(kafka_stream_topic_records_produced_total{${I}}[$__rate_interval]))`, '{{topic}}']],
      { axisLabel: 'records/s', legendTable: true }),
    timeseries('Process rate per stream thread', 'kafka_stream_thread_process_rate.',
      [[`sum by (instance, thread) (${byThread(`kafka_stream_thread_process_rate{${I}}`)})`, '{{instance}} {{thread}}']],
      { axisLabel: 'records/s', w: 8 }),
    timeseries('Process latency per stream thread', 'Average and maximum time to process one record.',
      [[`max by (instance, thread) (${byThread(`kafka_stream_thread_process_latency_avg{${I}}`)})`, 'avg {{instance}} {{thread}}'],
        [`max by (instance, thread) (${byThread(`kafka_stream_thread_process_latency_max{${I}}`)})`, 'max {{instance}} {{thread}}']],
      { unit: 'ms', w: 8 }),
    timeseries('Commit latency', 'Average and maximum commit time (exactly_once_v2: a transaction commit).',
      [[`max by (instance, thread) (${byThread(`kafka_stream_thread_commit_latency_avg{${I}}`)})`, 'avg {{instance}} {{thread}}'],
        [`max by (instance, thread) (${byThread(`kafka_stream_thread_commit_latency_max{${I}}`)})`, 'max {{instance}} {{thread}}']],
      { unit: 'ms', w: 8 }),
    timeseries('Stream thread time split', 'Share of wall time each stream thread spends polling, processing, punctuating and committing.',
      [[`avg by (instance) (kafka_stream_thread_poll_ratio{${I}})`, 'poll {{instance}}'],
        [`avg by (instance) (kafka_stream_thread_process_ratio{${I}})`, 'process {{instance}}'],
        [`avg by (instance) (kafka_stream_thread_punctuate_ratio{${I}})`, 'punctuate {{instance}}'],
        [`avg by (instance) (kafka_stream_thread_commit_ratio{${I}})`, 'commit {{instance}}']],
      { unit: 'percentunit', stack: true, min: 0 }),
    timeseries('Commit rate', 'Commits per second per stream thread.',
      [[`sum by (instance, thread) (${byThread(`kafka_stream_thread_commit_rate{${I}}`)})`, '{{instance}} {{thread}}']],
      { axisLabel: 'commits/s' }),

    row('Consumer lag'),
    timeseries('Consumer lag per topic', 'Records behind the log end, summed over partitions, stream-thread consumers.',
      [[`sum by (topic) (kafka_consumer_fetch_manager_records_lag{${I}, ${STREAM_CONSUMER}, ${NO_DUP_TOPIC}})`, '{{topic}}']],
      { axisLabel: 'records', legendTable: true }),
    timeseries('Max lag per consumer', 'records-lag-max of each consumer: stream threads, the global (registry) consumer, restore.',
      [[`max by (instance, consumer) (label_replace(kafka_consumer_fetch_manager_records_lag_max{${I}}, "consumer", "$1", "client_id", ".*-((?:StreamThread-[0-9]+-|StateUpdater-[0-9]+-restore-|global-)consumer)"))`,
        '{{instance}} {{consumer}}']],
      { axisLabel: 'records' }),
    timeseries('Clearing partitions not heard from, per detector',
      'D3b–D3e decide a day only once every clearing.payments partition has delivered up to it (D3a forgets its days ' +
      'then): no wall clock, so a live feed and a backlog give the same verdicts. A partition that has never ' +
      'delivered anything holds those verdicts. 0 in normal operation; FundwatchClearingPartitionSilent fires after 30 minutes.',
      [[`max by (detector) (fundwatch_clearing_partitions_unseen{${I}})`, '{{detector}}']],
      { axisLabel: 'partitions', min: 0, w: 24, h: 6 }),

    row('State stores'),
    timeseries('State store keys (estimate)', 'RocksDB estimate-num-keys per store, summed over tasks.',
      [[`sum by (store) (${byStore(`kafka_stream_state_estimate_num_keys{${I}}`)})`, '{{store}}']],
      { legendTable: true }),
    timeseries('State store size', 'SST files plus memtables per store, summed over tasks.',
      [[`sum by (store) (${byStore(`kafka_stream_state_total_sst_files_size{${I}} + kafka_stream_state_size_all_mem_tables{${I}}`)})`, '{{store}}']],
      { unit: 'bytes', legendTable: true }),
    timeseries('Changelog writes per store', 'Records written to each store\'s changelog topic per second: the store\'s puts after record caching.',
      [[`sum by (topic) (rate(kafka_producer_topic_record_send_total{${I}, topic=~".+-changelog"}[$__rate_interval]))`, '{{topic}}']],
      { axisLabel: 'records/s', legendTable: true }),
    timeseries('Store put rate (DEBUG recording level)',
      'kafka_stream_state_put_rate per store. Kafka Streams records store operation rates only with ' +
      'metrics.recording.level=DEBUG; at the default INFO this reads 0 — "Changelog writes per store" is the INFO-level view.',
      [[`sum by (store) (${byStore(`kafka_stream_state_put_rate{${I}}`)})`, '{{store}}']],
      { axisLabel: 'puts/s', legendTable: true }),

    row('JVM'),
    timeseries('Heap', 'Heap used, committed and maximum per instance.',
      [[`sum by (instance) (jvm_memory_used_bytes{${I}, area="heap"})`, 'used {{instance}}'],
        [`sum by (instance) (jvm_memory_committed_bytes{${I}, area="heap"})`, 'committed {{instance}}'],
        [`sum by (instance) (jvm_memory_max_bytes{${I}, area="heap"} > 0)`, 'max {{instance}}']],
      { unit: 'bytes', w: 8 }),
    timeseries('GC pause time', 'Share of wall time in GC pauses, by collector.',
      [[`sum by (instance, gc) (rate(jvm_gc_pause_seconds_sum{${I}}[$__rate_interval]))`, '{{instance}} {{gc}}']],
      { unit: 'percentunit', w: 8 }),
    timeseries('GC pauses', 'GC pauses per second, by collector.',
      [[`sum by (instance, gc) (rate(jvm_gc_pause_seconds_count{${I}}[$__rate_interval]))`, '{{instance}} {{gc}}']],
      { axisLabel: 'pauses/s', w: 8 }),
    timeseries('Threads', 'JVM live, daemon and peak threads.',
      [[`sum by (instance) (jvm_threads_live_threads{${I}})`, 'live {{instance}}'],
        [`sum by (instance) (jvm_threads_daemon_threads{${I}})`, 'daemon {{instance}}'],
        [`sum by (instance) (jvm_threads_peak_threads{${I}})`, 'peak {{instance}}']]),
    timeseries('CPU', 'Process and whole-system CPU usage (0–1 of all cores).',
      [[`max by (instance) (process_cpu_usage{${I}})`, 'process {{instance}}'],
        [`max by (instance) (system_cpu_usage{${I}})`, 'system {{instance}}']],
      { unit: 'percentunit', min: 0 }),
  ],
});

const PLATFORM = `${I}, platform="$platform"`;
const platform = dashboard({
  uid: 'fundwatch-platform',
  title: 'fundwatch — platform drill-down',
  description: 'Risk of one platform, from the metrics that carry a platform label.',
  variables: [{
    datasource: DS,
    description: 'Platforms that currently have an exported risk score',
    hide: 0,
    includeAll: false,
    label: 'Platform',
    multi: false,
    name: 'platform',
    options: [],
    query: 'label_values(fundwatch_platform_risk_score{instance=~"$instance"}, platform)',
    refresh: 2,
    regex: '',
    sort: 1,
    type: 'query',
  }],
  panels: [
    text('About this dashboard',
      'To keep label cardinality bounded, each fundwatch instance exports a risk score only for the **10 riskiest ' +
      'platforms** among the partitions it owns (`fundwatch_platform_risk_score{platform,region}`); a platform outside ' +
      'that set has no series here. Its full profile — open findings per detector, registry entry, registered ' +
      'accounts — is at `GET /platforms/$platform` on any fundwatch instance, and its alerts at ' +
      '`GET /alerts?platformId=$platform`.', { h: 3 }),
    stat('Risk score', '1 − Π(1 − score) over the platform\'s open findings.',
      [[`max(fundwatch_platform_risk_score{${PLATFORM}})`, '']],
      { min: 0, max: 1, decimals: 2, th: RISK_THRESHOLDS, colorMode: 'background', w: 6 }),
    stat('Region', 'Administrative division code (GB/T 2260) of the authority responsible for the platform.',
      [[`max by (region) (fundwatch_platform_risk_score{${PLATFORM}})`, '{{region}}']], { textMode: 'name', w: 6 }),
    stat('Rank', 'Position among all exported platforms by risk score (1 = riskiest; ties share a rank).',
      [[`count(max by (platform) (fundwatch_platform_risk_score{${I}}) >= scalar(max(fundwatch_platform_risk_score{${PLATFORM}})))`, '']],
      { decimals: 0, w: 6 }),
    stat('Time among the top 10, last 24 h', 'How long the platform has had an exported risk score (1-min resolution).',
      [[`count_over_time(max(fundwatch_platform_risk_score{${PLATFORM}})[24h:1m])`, '']],
      { unit: 'm', decimals: 0, w: 6 }),
    timeseries('Risk score over time', 'Gaps: the platform was not among its instance\'s 10 riskiest.',
      [[`max by (platform) (fundwatch_platform_risk_score{${PLATFORM}})`, '{{platform}}']],
      { min: 0, max: 1, w: 14, h: 9 }),
    bargauge('Risky platforms in the same region', 'Exported risk scores of the platforms in this platform\'s region.',
      [[`max by (platform, region) (fundwatch_platform_risk_score{${I}}) and on (region) max by (region) (fundwatch_platform_risk_score{${PLATFORM}})`,
        '{{platform}}']],
      { min: 0, max: 1, decimals: 2, th: RISK_THRESHOLDS, w: 10, h: 9 }),
  ],
});

const files = {
  'fundwatch-overview.json': overview,
  'fundwatch-pipeline.json': pipeline,
  'fundwatch-platform.json': platform,
};

const check = process.argv.includes('--check');
let stale = 0;
for (const [name, json] of Object.entries(files)) {
  const path = join(DASHBOARDS_DIR, name);
  const text = JSON.stringify(json, null, 2) + '\n';
  if (check) {
    let committed = '';
    try { committed = readFileSync(path, 'utf8'); } catch { /* missing counts as stale */ }
    if (committed !== text) {
      console.error(`dashboards/${name} differs from tools/monitoring/dashboards.mjs — run: node tools/monitoring/dashboards.mjs`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.error(`wrote dashboards/${name}`);
  }
}
process.exit(stale ? 1 : 0);
