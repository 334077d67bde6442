import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assetPath, defaultWebRoot, webContentSecurityPolicy } from './web-app.js';

const repo = resolve(import.meta.dirname, '..');

describe('web application serving', () => {
  it('finds web/dist of the installation from source and from the compiled dist/', () => {
    expect(defaultWebRoot()).toBe(join(repo, 'web', 'dist'));
    expect(defaultWebRoot(pathToFileURL(join(repo, 'dist', 'dashboard-api', 'web-app.js')).href)).toBe(join(repo, 'web', 'dist'));
  });

  it('maps request paths to files inside the root only', () => {
    const root = '/srv/web/dist';
    expect(assetPath(root, 'assets/index-1.js')).toBe('/srv/web/dist/assets/index-1.js');
    expect(assetPath(root, 'favicon.svg')).toBe('/srv/web/dist/favicon.svg');
    for (const bad of ['', '../package.json', 'assets/../../x', '.env', 'assets/.hidden', 'a//b', 'a\\..\\b', 'a\0b', 'assets/']) {
      expect(assetPath(root, bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('builds the strict CSP, with extra connect-src origins', () => {
    expect(webContentSecurityPolicy()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    );
    expect(webContentSecurityPolicy(['https://login.example'])).toContain("connect-src 'self' https://login.example;");
  });
});
