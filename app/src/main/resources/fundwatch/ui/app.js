// fundwatch analyst page: latest alerts, a platform's risk profile, an alert's traced paths as a flow graph.
// Read-only: it only GETs the JSON endpoints next to it (../alerts, ../platforms/{id}, ../alerts/{id}/trace).
// Every value from the server reaches the page through textContent or cytoscape data, never as HTML.
'use strict';
(function () {
  const TOKEN_KEY = 'fundwatch.token';
  const KNOWN_DETECTORS = ['ABNORMAL_YIELD', 'BORROWING_CAP', 'CONCENTRATED_FINAL_USE', 'CUSTODY_BYPASS',
    'FUND_POOLING', 'ILLEGAL_FUNDRAISING', 'MATURITY_MISMATCH', 'NEW_MONEY_PAYS_OLD', 'RAPID_GROWTH',
    'SELF_FINANCING', 'UNRECONCILED_FLOW', 'YIELD_SUBSIDY'];
  const $ = (id) => document.getElementById(id);
  const state = { alerts: [], alertsRequest: 0, selectedId: null, cy: null, trace: null, seenDetectors: new Set(KNOWN_DETECTORS) };

  // ---- HTTP ------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  // Relative to /ui/, so the page also works behind a reverse proxy that mounts fundwatch under a prefix.
  async function api(path) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    let response;
    try {
      response = await fetch('../' + path, { headers, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'fundwatch does not answer (' + e.message + ')');
    }
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON: the status says enough */ }
    if (response.status === 401) {
      showTokenForm(token ? 'The token was refused.' : 'fundwatch asks for a bearer token.');
    }
    if (!response.ok) {
      throw new ApiError(response.status, (body && body.error) || ('HTTP ' + response.status));
    }
    return body;
  }

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').classList.toggle('error', !!isError);
  }

  function message(id, text, isError) {
    $(id).textContent = text || '';
    $(id).classList.toggle('error', !!isError);
  }

  // ---- formatting --------------------------------------------------------------------------------------------

  const BEIJING = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  /** Beijing time, "2026-12-06 14:03:05": the market's clock, whatever the analyst's machine is set to. */
  function time(value) {
    if (value === null || value === undefined || value === '') return '';
    const d = new Date(value);
    return isNaN(d) ? String(value) : BEIJING.format(d);
  }

  /** Short Beijing time for an edge label, "12-05 17:40"; the path table has the full one. */
  function shortTime(value) {
    const t = time(value);
    return t.length >= 16 ? t.slice(5, 16) : t;
  }

  /** Minor units (fen) as yuan with separators, exact for any long the server sends below 2^53. */
  function yuan(minor) {
    if (minor === null || minor === undefined) return '';
    const negative = minor < 0;
    const abs = Math.abs(Math.round(minor));
    const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const cents = String(abs % 100).padStart(2, '0');
    return (negative ? '-' : '') + '¥' + whole + '.' + cents;
  }

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function fields(dl, pairs) {
    dl.replaceChildren();
    for (const [name, value] of pairs) {
      if (value === undefined || value === null || value === '') continue;
      dl.append(el('dt', name));
      const dd = el('dd');
      if (value instanceof Node) dd.append(value); else dd.textContent = String(value);
      dl.append(dd);
    }
  }

  // ---- alert list ----------------------------------------------------------------------------------------------

  function filterQuery() {
    const q = new URLSearchParams();
    for (const [param, id] of [['detector', 'f-detector'], ['regionCode', 'f-region'], ['severity', 'f-severity'],
      ['platformId', 'f-platform'], ['limit', 'f-limit']]) {
      const v = $(id).value.trim();
      if (v) q.set(param, v);
    }
    return q;
  }

  async function loadAlerts() {
    const q = filterQuery();
    // The filters go into the address too: a view an analyst can bookmark or send.
    const shown = new URLSearchParams(q);
    if (shown.get('limit') === '50') shown.delete('limit');
    history.replaceState(null, '', shown.toString() ? '?' + shown : location.pathname);
    setStatus('loading alerts…');
    // Only the newest request's answer is shown: an older one that arrives late must not replace it.
    const request = ++state.alertsRequest;
    try {
      const alerts = await api('alerts?' + q);
      if (request !== state.alertsRequest) return;
      state.alerts = alerts;
      renderAlerts();
      setStatus(alerts.length + ' alert' + (alerts.length === 1 ? '' : 's') + ' at ' + time(Date.now()));
    } catch (e) {
      if (request !== state.alertsRequest) return;
      setStatus('alerts: ' + e.message, true);
      message('alerts-message', e.status === 401 ? 'A bearer token is required: use the Token button.' : e.message,
        true);
    }
  }

  function renderAlerts() {
    const body = $('alerts').tBodies[0];
    body.replaceChildren();
    message('alerts-message', state.alerts.length ? '' : 'No alert matches.');
    for (const a of state.alerts) {
      state.seenDetectors.add(a.detector);
      const tr = document.createElement('tr');
      tr.dataset.alertId = a.alertId;
      tr.dataset.detector = a.detector;
      tr.tabIndex = 0;
      tr.append(el('td', time(a.detectedAt)), el('td', a.severity, 'sev ' + a.severity), el('td', a.detector),
        el('td', a.subjectType === 'PLATFORM' ? a.subjectId : a.subjectType.toLowerCase() + ' ' + a.subjectId),
        el('td', a.platformId || ''), el('td', a.regionCode || ''),
        el('td', typeof a.score === 'number' ? a.score.toFixed(2) : '', 'num'), el('td', a.summary, 'summary'));
      tr.querySelector('.summary').title = a.summary;
      if (a.alertId === state.selectedId) tr.classList.add('selected');
      tr.addEventListener('click', () => selectAlert(a));
      tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') selectAlert(a); });
      body.append(tr);
    }
    renderDetectorChoices();
  }

  /** The detector field suggests the known detectors and any other seen in a list (a newer fundwatch's). */
  function renderDetectorChoices() {
    $('detectors').replaceChildren(...[...state.seenDetectors].sort().map((d) => {
      const o = el('option');
      o.value = d;
      return o;
    }));
  }

  // ---- one alert: details, trace, its platform's profile ---------------------------------------------------------

  function selectAlert(a) {
    state.selectedId = a.alertId;
    for (const tr of $('alerts').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.alertId === a.alertId);
    message('alert-message', '');
    const evidence = (a.evidence || []).map((e) => e.eventId + ' ' + yuan(e.amountMinor) + ' ' + time(e.eventTime));
    fields($('alert-fields'), [
      ['alert', a.alertId + ' (revision ' + a.revision + ')'], ['detector', a.detector],
      ['severity', a.severity + ', score ' + (typeof a.score === 'number' ? a.score.toFixed(3) : a.score)],
      ['subject', a.subjectType + ' ' + a.subjectId], ['platform', a.platformId], ['region', a.regionCode],
      ['window', time(a.windowStart) + ' – ' + time(a.windowEnd)], ['detected', time(a.detectedAt)],
      ['summary', a.summary],
      ['evidence', evidence.length ? evidence.slice(0, 5).join('; ') + (evidence.length > 5 ? ' …' : '') : ''],
    ]);
    loadTrace(a);
    if (a.platformId) {
      $('p-platform').value = a.platformId;
      loadProfile(a.platformId);
    }
  }

  async function loadTrace(a) {
    clearGraph();
    message('trace-message', 'loading the trace…');
    try {
      const trace = await api('alerts/' + encodeURIComponent(a.alertId) + '/trace');
      if (state.selectedId !== a.alertId) return; // the analyst has moved on
      if (!trace || !Array.isArray(trace.paths) || trace.paths.length === 0) {
        message('trace-message', 'no trace for this alert');
        return;
      }
      message('trace-message', trace.paths.length + ' traced path' + (trace.paths.length === 1 ? '' : 's') +
        ' for ' + trace.detector + ' on ' + trace.subjectType + ' ' + trace.subjectId);
      drawTrace(trace);
    } catch (e) {
      if (state.selectedId !== a.alertId) return;
      message('trace-message', e.status === 404 ? 'no trace for this alert' : 'trace: ' + e.message, e.status !== 404);
    }
  }

  function clearGraph() {
    if (state.cy) { state.cy.destroy(); state.cy = null; }
    state.trace = null;
    $('graph').hidden = true;
    $('legend').hidden = true;
    $('paths').replaceChildren();
  }

  /**
   * One graph for all paths of the alert: an account on several paths is one node, a payment on several paths one
   * edge. Each path starts at a node for its origin platform (its loan or its own funds) and ends at its final
   * account, which is marked.
   */
  function graphElements(trace) {
    const nodes = new Map();
    const edges = new Map();
    const account = (id) => {
      if (!nodes.has('a:' + id)) nodes.set('a:' + id, { data: { id: 'a:' + id, account: id, kind: 'account', label: id } });
      return nodes.get('a:' + id);
    };
    trace.paths.forEach((p, i) => {
      const originId = 'o:' + p.originPlatformId + ':' + p.originKind + ':' + (p.borrowerPartyId || '');
      if (!nodes.has(originId)) {
        nodes.set(originId, { data: { id: originId, platform: p.originPlatformId, kind: 'origin',
          label: 'platform ' + p.originPlatformId + '\n' + (p.originKind === 'LOAN'
            ? 'loan' + (p.borrowerPartyId ? ' to ' + p.borrowerPartyId : '') : 'own funds') } });
      }
      const hops = [...(p.hops || [])].sort((x, y) => x.hop - y.hop);
      if (hops.length) {
        const first = account(hops[0].payerAccountId);
        const id = 'e:' + originId + '>' + first.data.id;
        if (!edges.has(id)) {
          edges.set(id, { data: { id, source: originId, target: first.data.id, kind: 'origin',
            label: p.originKind === 'LOAN' ? 'loan' : 'platform funds' } });
        }
      }
      for (const h of hops) {
        const from = account(h.payerAccountId);
        const to = account(h.payeeAccountId);
        const id = 'p:' + h.paymentId;
        if (!edges.has(id)) {
          const traced = h.tracedAmountMinor !== undefined && h.tracedAmountMinor !== h.amountMinor
            ? yuan(h.tracedAmountMinor) + ' of ' + yuan(h.amountMinor) : yuan(h.amountMinor);
          edges.set(id, { data: { id, source: from.data.id, target: to.data.id, kind: 'payment', payment: h.paymentId,
            label: traced + '\n' + shortTime(h.eventTime) } });
        }
      }
      const last = account(p.finalAccountId);
      last.data.kind = 'final';
      last.data.label = 'final: ' + p.finalAccountId;
    });
    return [...nodes.values(), ...edges.values()];
  }

  const GRAPH_STYLE = [
    { selector: 'node', style: { 'label': 'data(label)', 'shape': 'round-rectangle', 'width': 'label',
      'height': 'label', 'padding': '8px', 'font-size': 12, 'text-valign': 'center', 'text-halign': 'center',
      'text-wrap': 'wrap', 'background-color': '#f3f4f6', 'border-width': 2, 'border-color': '#6b7280',
      'color': '#1d2430' } },
    { selector: 'node[kind = "origin"]', style: { 'shape': 'cut-rectangle', 'background-color': '#dbeafe',
      'border-color': '#1f5fbf' } },
    { selector: 'node[kind = "final"]', style: { 'background-color': '#fee2e2', 'border-color': '#b91c1c',
      'border-width': 4, 'font-weight': 'bold' } },
    { selector: 'edge', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 2,
      'line-color': '#64748b', 'target-arrow-color': '#64748b', 'label': 'data(label)', 'font-size': 11,
      'text-wrap': 'wrap', 'text-background-color': '#ffffff', 'text-background-opacity': 0.9,
      'text-background-padding': '2px', 'color': '#1d2430' } },
    { selector: 'edge[kind = "origin"]', style: { 'line-style': 'dashed', 'line-color': '#1f5fbf',
      'target-arrow-color': '#1f5fbf' } },
  ];

  /** Depth of each node from the origins (a path has at most a handful of hops), and the widest depth's size. */
  function shape(trace) {
    const depth = new Map();
    for (const p of trace.paths) {
      depth.set('o', 0);
      for (const h of p.hops || []) {
        for (const [acc, d] of [[h.payerAccountId, h.hop], [h.payeeAccountId, h.hop + 1]]) {
          depth.set('a:' + acc, Math.max(depth.get('a:' + acc) || 0, d));
        }
      }
    }
    const perDepth = new Map();
    for (const d of depth.values()) perDepth.set(d, (perDepth.get(d) || 0) + 1);
    const origins = new Set(trace.paths.map((p) => p.originPlatformId + ':' + p.originKind + ':' + (p.borrowerPartyId || '')));
    perDepth.set(0, origins.size);
    return { levels: perDepth.size, breadth: Math.max(...perDepth.values()) };
  }

  function drawTrace(trace) {
    state.trace = trace;
    const elements = graphElements(trace);
    const roots = elements.filter((e) => e.data.kind === 'origin' && !e.data.source).map((e) => e.data.id);
    // A chain reads best top-down in this narrow panel; many paths converging (D8b's borrowers) read best left to
    // right, the origins stacked. The box grows with the graph so that labels stay legible.
    const { levels, breadth } = shape(trace);
    const sideways = breadth >= 3;
    $('graph').style.height = (sideways ? Math.max(360, breadth * 64 + 40) : Math.max(320, levels * 124 + 40)) + 'px';
    $('graph').hidden = false;
    $('legend').hidden = false;
    state.cy = cytoscape({
      container: $('graph'), elements, style: GRAPH_STYLE, wheelSensitivity: 0.3, boxSelectionEnabled: false,
      maxZoom: 1.5,
      layout: { name: 'breadthfirst', directed: true, roots, spacingFactor: sideways ? 1.2 : 1, padding: 16,
        animate: false, transform: sideways ? (node, pos) => ({ x: pos.y * 2.2, y: pos.x * 0.5 }) : (n, pos) => pos },
    });
    state.cy.fit(undefined, 16);
    renderPaths(trace);
  }

  /** The same paths as text: readable, copyable, and what a screen reader announces. */
  function renderPaths(trace) {
    const box = $('paths');
    trace.paths.forEach((p, i) => {
      const section = el('div', null, 'path');
      section.dataset.finalAccount = p.finalAccountId;
      section.append(el('h3', 'Path ' + (i + 1) + ': from platform ' + p.originPlatformId + ' (' +
        (p.originKind === 'LOAN' ? 'loan' + (p.borrowerPartyId ? ' to ' + p.borrowerPartyId : '') : 'platform funds') +
        ') to final account ' + p.finalAccountId + ', ' + yuan(p.amountMinor) + ' traced' +
        (p.evidenceEventId ? ' — evidence ' + p.evidenceEventId : '')));
      const table = el('table');
      const head = el('tr');
      for (const h of ['hop', 'time (Beijing)', 'payer', 'payee', 'amount', 'traced', 'payment']) head.append(el('th', h));
      table.append(el('thead'), el('tbody'));
      table.tHead.append(head);
      for (const h of [...(p.hops || [])].sort((x, y) => x.hop - y.hop)) {
        const tr = el('tr');
        tr.append(el('td', h.hop, 'num'), el('td', time(h.eventTime)), el('td', h.payerAccountId),
          el('td', h.payeeAccountId), el('td', yuan(h.amountMinor), 'num'), el('td', yuan(h.tracedAmountMinor), 'num'),
          el('td', h.paymentId));
        table.tBodies[0].append(tr);
      }
      section.append(table);
      box.append(section);
    });
  }

  // ---- platform profile --------------------------------------------------------------------------------------------

  async function loadProfile(platformId) {
    $('profile-body').replaceChildren();
    message('profile-message', 'loading ' + platformId + '…');
    try {
      const p = await api('platforms/' + encodeURIComponent(platformId));
      if ($('p-platform').value.trim() !== platformId) return;
      message('profile-message', '');
      const bar = el('span');
      const track = el('span', null, 'bar-track');
      const fill = el('span', null, 'bar');
      fill.style.width = Math.round(Math.max(0, Math.min(1, p.score || 0)) * 100) + '%';
      track.append(fill);
      bar.append(track, ' ' + (p.score || 0).toFixed(3));
      const registry = p.registry || {};
      const dl = el('dl');
      fields(dl, [
        ['platform', p.platformId + (registry.name ? ' — ' + registry.name : '')],
        ['registry', p.registry ? [registry.status, registry.licenseType, registry.regionCode].filter(Boolean).join(', ')
          : 'not registered'],
        ['region', p.regionCode], ['risk score', bar], ['highest severity', p.highestSeverity || 'none'],
        ['open findings', p.openFindings],
        ['by detector', Object.entries(p.openByDetector || {}).map(([d, n]) => d + ' ' + n).join(', ')],
        ['accounts', (p.accounts || []).map((acc) => acc.accountId + ' (' + acc.purpose + ')').join(', ')],
        ['last event', p.lastEventTime ? time(p.lastEventTime) : ''], ['served by', p.servedBy],
      ]);
      const findings = el('table');
      const head = el('tr');
      for (const h of ['detector', 'severity', 'score', 'window', 'summary']) head.append(el('th', h));
      findings.append(el('thead'), el('tbody'));
      findings.tHead.append(head);
      for (const f of (p.findings || []).slice().sort((x, y) => y.score - x.score).slice(0, 20)) {
        const tr = el('tr');
        tr.append(el('td', f.detector), el('td', f.severity, 'sev ' + f.severity), el('td', f.score.toFixed(2), 'num'),
          el('td', time(f.windowStart) + ' – ' + time(f.windowEnd)), el('td', f.summary));
        findings.tBodies[0].append(tr);
      }
      $('profile-body').append(dl);
      if (findings.tBodies[0].rows.length) $('profile-body').append(findings);
    } catch (e) {
      message('profile-message', e.status === 404 ? 'platform ' + platformId + ' is not known' : e.message, true);
    }
  }

  // ---- token ------------------------------------------------------------------------------------------------------

  function showTokenForm(why) {
    $('token-form').hidden = false;
    if (why) setStatus(why, true);
    $('token').focus();
  }

  function wire() {
    $('token-toggle').addEventListener('click', () => { $('token-form').hidden = !$('token-form').hidden; });
    $('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const t = $('token').value.trim();
      if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
      $('token').value = '';
      $('token-form').hidden = true;
      loadAlerts();
    });
    $('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('token').value = '';
      setStatus('token forgotten');
    });
    $('filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadAlerts(); });
    $('profile-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const id = $('p-platform').value.trim();
      if (id) loadProfile(id);
    });
    const q = new URLSearchParams(location.search);
    for (const [param, id] of [['detector', 'f-detector'], ['regionCode', 'f-region'], ['severity', 'f-severity'],
      ['platformId', 'f-platform'], ['limit', 'f-limit']]) {
      if (q.get(param)) $(id).value = q.get(param);
    }
  }

  // For the browser test and for debugging from the console: what the graph shows, by account.
  window.fundwatchUi = {
    graphNodes() {
      if (!state.cy) return [];
      const box = $('graph').getBoundingClientRect();
      return state.cy.nodes().map((n) => {
        const bb = n.renderedBoundingBox();
        return { id: n.id(), account: n.data('account') || null, platform: n.data('platform') || null,
          kind: n.data('kind'), label: n.data('label'), visible: n.visible(),
          inView: bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= box.width + 1 && bb.y2 <= box.height + 1 };
      });
    },
    zoom() {
      return state.cy ? state.cy.zoom() : null;
    },
    graphEdges() {
      return state.cy ? state.cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(),
        payment: e.data('payment') || null, label: e.data('label') })) : [];
    },
  };

  wire();
  renderDetectorChoices();
  loadAlerts();
})();
