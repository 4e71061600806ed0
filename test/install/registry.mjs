// A registry for the @costscope scope only, serving the packed tarballs as npm's registry would
// serve published versions: a packument per package (manifest, dist.tarball, dist.integrity,
// dist.shasum, time) and the tarball itself. The new app's package manager asks it for
// @costscope/* and the public registry for everything else, so the install guide's
// `yarn --cwd packages/app add @costscope/backstage-plugin` runs exactly as written.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** The package.json inside a tarball, read with the system's tar. */
export function readTarballManifest(file) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', file, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}

/**
 * Serves `tarballs` (paths of `npm pack` outputs) on 127.0.0.1 at a free port.
 * Resolves to `{ url, requests, close }`; `requests` lists every path asked for.
 */
export async function startScopeRegistry(tarballs) {
  const packages = new Map();
  const files = new Map();
  const published = new Date().toISOString();
  for (const file of tarballs) {
    const manifest = readTarballManifest(file);
    const data = readFileSync(file);
    const fileName = path.basename(file);
    files.set(fileName, data);
    const entry = packages.get(manifest.name) ?? {
      name: manifest.name,
      'dist-tags': {},
      versions: {},
      time: { created: published, modified: published },
    };
    entry.versions[manifest.version] = {
      ...manifest,
      _id: `${manifest.name}@${manifest.version}`,
      dist: {
        // Filled in per request: the host and port the client used.
        tarball: `/-/${fileName}`,
        shasum: createHash('sha1').update(data).digest('hex'),
        integrity: `sha512-${createHash('sha512')
          .update(data)
          .digest('base64')}`,
      },
    };
    entry['dist-tags'].latest = manifest.version;
    entry.time[manifest.version] = published;
    packages.set(manifest.name, entry);
  }

  const requests = [];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(`${req.method} ${url}`);
    const base = `http://${req.headers.host}`;
    if (url.startsWith('/-/') && files.has(url.slice(3))) {
      const data = files.get(url.slice(3));
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': data.length,
      });
      res.end(req.method === 'HEAD' ? undefined : data);
      return;
    }
    const entry = packages.get(url.slice(1));
    if (!entry) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    const versions = Object.fromEntries(
      Object.entries(entry.versions).map(([version, manifest]) => [
        version,
        {
          ...manifest,
          dist: { ...manifest.dist, tarball: base + manifest.dist.tarball },
        },
      ]),
    );
    const body = JSON.stringify({ ...entry, versions });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  // yarn accepts plain http only for hosts in unsafeHttpWhitelist, which defaults to localhost.
  const url = `http://localhost:${server.address().port}`;
  return {
    url,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
