/**
 * The web application is served by the platform at `/` beside the API: its page for any address
 * outside `/api` (its own router shows the page or its not-found page), its files as they are; the
 * API's unknown routes still answer JSON. Its first page stays within its budget: at most 250 KB of
 * gzipped JavaScript, read from the build's manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';

const dist = path.resolve(import.meta.dirname, '..', 'web', 'dist');

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('the web application', () => {
  it('is built by npm install', () => {
    expect(fs.existsSync(path.join(dist, 'index.html'))).toBe(true);
  });

  it('answers its pages at / and at any address outside /api, and the API its JSON', async () => {
    for (const url of ['/', '/subjects/91350100M000100Y43', '/no/such/page']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<div id="app"></div>');
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/no-such-route' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not_found' });
    // Its scripts come from itself, as the platform's content security policy allows.
    const page = await t.app.inject({ method: 'GET', url: '/' });
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1] ?? '';
    const asset = await t.app.inject({ method: 'GET', url: script });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('loads at most 250 KB of gzipped JavaScript for its first page', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      { file: string; isEntry?: boolean; imports?: string[] }
    >;
    // The entry and what it imports statically; pages loaded later are not counted.
    const seen = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (chunk === undefined || seen.has(key)) {
        return;
      }
      seen.add(key);
      for (const i of chunk.imports ?? []) {
        visit(i);
      }
    };
    const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry === true) ?? '';
    visit(entry);
    visit('src/pages/HomePage.vue');
    const bytes = [...seen].reduce(
      (sum, key) => sum + gzipSync(fs.readFileSync(path.join(dist, manifest[key]?.file ?? ''))).length,
      0,
    );
    expect(seen.size).toBeGreaterThan(1);
    expect(bytes).toBeLessThanOrEqual(250 * 1024);
  });
});
