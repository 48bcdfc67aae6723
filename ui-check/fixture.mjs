// A stand-in for fundwatch's HTTP for `node check.mjs --fixture`: the page's files straight from the source tree
// (app/src/main/resources/fundwatch/ui/) and the JSON of fixture.json, so the page and the browser test can be
// worked on without a broker. Only what the page asks for; anything else is a 404. With a token, the JSON answers
// 401 without `Authorization: Bearer <token>`, as fundwatch with http.auth.tokens.file does (the page's files not).
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const UI = path.resolve(here, '../app/src/main/resources/fundwatch/ui');
const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8', txt: 'text/plain; charset=utf-8' };

export async function startFixture(token) {
  const data = JSON.parse(await fs.readFile(path.join(here, 'fixture.json'), 'utf8'));
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fixture');
    const json = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    try {
      if (url.pathname === '/ui' || url.pathname === '/') {
        res.writeHead(301, { Location: '/ui/' }).end();
      } else if (url.pathname.startsWith('/ui/')) {
        const name = url.pathname.slice(4) || 'index.html';
        if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(name)) {
          res.writeHead(400).end();
          return;
        }
        const body = await fs.readFile(path.join(UI, name));
        res.writeHead(200, { 'Content-Type': TYPES[name.split('.').pop()] || 'application/octet-stream' });
        res.end(body);
      } else if (token && req.headers.authorization !== 'Bearer ' + token) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="fundwatch"');
        json(401, { error: 'a bearer token is required (Authorization: Bearer <token>)' });
      } else if (url.pathname === '/alerts') {
        const q = url.searchParams;
        json(200, data.alerts.filter((a) => (!q.get('detector') || a.detector === q.get('detector'))
          && (!q.get('regionCode') || a.regionCode === q.get('regionCode'))
          && (!q.get('severity') || a.severity === q.get('severity').toUpperCase())
          && (!q.get('platformId') || a.platformId === q.get('platformId'))));
      } else if (url.pathname.startsWith('/alerts/') && url.pathname.endsWith('/trace')) {
        const id = decodeURIComponent(url.pathname.slice('/alerts/'.length, -'/trace'.length));
        if (data.traces[id]) json(200, data.traces[id]);
        else json(404, { error: 'no trace for alert ' + id });
      } else if (url.pathname.startsWith('/platforms/')) {
        const id = decodeURIComponent(url.pathname.slice('/platforms/'.length));
        if (data.platforms[id]) json(200, data.platforms[id]);
        else json(404, { error: 'platform ' + id + ' is not registered and has no findings' });
      } else {
        json(404, { error: 'no such endpoint' });
      }
    } catch (e) {
      json(e.code === 'ENOENT' ? 404 : 500, { error: e.message });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: 'http://127.0.0.1:' + server.address().port, close: () => server.close() };
}
