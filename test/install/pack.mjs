// Packs the six Costscope packages as the npm registry would serve them, and checks them.
//
//   node test/install/pack.mjs [destination]     (default: .cache/install/tarballs)
//
// 1. Builds: the root `tsc` (declarations into dist-types/, which `backstage-cli package build`
//    bundles into each package's dist/index.d.ts), then `backstage-cli package build` in each.
// 2. Packs each with `npm pack`, which runs the package's `prepack` (`backstage-cli package
//    prepack`: publishConfig applied, entry points rewritten to dist/, config.d.ts compiled to
//    config.schema.json) and `postpack`. It packs a copy of each package under
//    .cache/install/stage/: prepack rewrites package.json in place until postpack restores it,
//    and in a checkout where others edit package.json and run tests at the same time, the
//    original must never change. The copy gives the same tarball (same files, same scripts).
// 3. Checks each tarball's package.json: no entry point under src/, every entry point present
//    in the tarball, no "*" (or workspace:, file:, link:) ranges, and ranges between Costscope
//    packages that the packed versions satisfy. Any problem fails, naming package and field.
// 4. Checks that the build left `git status` as it was (dist/, dist-types/ are gitignored).
import { execFile as execFileCb } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readTarballManifest } from './registry.mjs';

const execFile = promisify(execFileCb);

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const BIN = path.join(ROOT, 'node_modules/.bin');
// semver through a package that declares it (the root does not).
const semver = createRequire(
  createRequire(path.join(ROOT, 'package.json')).resolve(
    '@backstage/cli-node/package.json',
  ),
)('semver');

const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
];

/** The Costscope packages under plugins/, in build order (libraries first). */
export async function findCostscopePackages() {
  const found = [];
  for (const dir of await fs.readdir(path.join(ROOT, 'plugins'))) {
    const file = path.join(ROOT, 'plugins', dir, 'package.json');
    const pkg = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}'));
    if (pkg.name?.startsWith('@costscope/')) {
      found.push({ dir: path.join('plugins', dir), name: pkg.name });
    }
  }
  const order = [
    'common-library',
    'node-library',
    'backend-plugin',
    'backend-plugin-module',
    'frontend-plugin',
  ];
  const roleOf = async p =>
    JSON.parse(await fs.readFile(path.join(ROOT, p.dir, 'package.json')))
      .backstage?.role;
  const roles = new Map();
  for (const p of found) roles.set(p.name, await roleOf(p));
  return found.sort(
    (a, b) =>
      order.indexOf(roles.get(a.name)) - order.indexOf(roles.get(b.name)),
  );
}

async function run(command, args, { cwd, log, label }) {
  const started = Date.now();
  try {
    const { stdout, stderr } = await execFile(command, args, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        PATH: `${BIN}${path.delimiter}${process.env.PATH}`,
      },
    });
    log?.(`${label}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { stdout, stderr };
  } catch (error) {
    throw new Error(
      `${label} failed (${command} ${args.join(' ')} in ${
        path.relative(ROOT, cwd) || '.'
      }):\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
    );
  }
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure. */
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

/** Paths that a build or pack must never leave in `git status`. */
const BUILD_OUTPUT =
  /(^|\/)(dist|dist-types)\/|config\.schema\.json$|package\.json-prepack$|\.tgz$/;

async function buildOutputsInGitStatus() {
  const { stdout } = await execFile(
    'git',
    ['status', '--porcelain', '--untracked-files=all'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(line => line.slice(3))
    .filter(file => BUILD_OUTPUT.test(file));
}

/** Every entry-point path a manifest declares (main, module, types, exports, typesVersions). */
function entryPoints(manifest) {
  const points = [];
  for (const field of ['main', 'module', 'types', 'typings', 'browser']) {
    if (typeof manifest[field] === 'string') {
      points.push({ field, target: manifest[field] });
    }
  }
  const walk = (value, field) => {
    if (typeof value === 'string') points.push({ field, target: value });
    else if (Array.isArray(value))
      value.forEach((v, i) => walk(v, `${field}[${i}]`));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        // `backstage` is backstage-cli's feature-type metadata, not a path.
        if (key !== 'backstage') {
          walk(
            v,
            /^[\w-]+$/.test(key) ? `${field}.${key}` : `${field}["${key}"]`,
          );
        }
      }
    }
  };
  walk(manifest.exports, 'exports');
  walk(manifest.typesVersions, 'typesVersions');
  return points.filter(p => p.target !== undefined);
}

/**
 * The problems of one packed manifest; `files` lists the tarball's paths, `versions` maps
 * every Costscope package name to the version packed.
 */
export function checkManifest(manifest, files, versions) {
  const problems = [];
  const name = manifest.name;
  for (const { field, target } of entryPoints(manifest)) {
    const normalized = target.replace(/^\.\//, '');
    if (/^src\//.test(normalized)) {
      problems.push(`${name}: ${field} points into src/ ("${target}")`);
    } else if (!normalized.includes('*') && !files.has(normalized)) {
      problems.push(
        `${name}: ${field} names "${target}", which is not in the tarball`,
      );
    }
  }
  if (manifest.private) problems.push(`${name}: "private": true`);
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (range.trim() === '*' || range.trim() === '') {
        problems.push(`${name}: ${field}.${dep} is "${range}" (any version)`);
      } else if (/^(workspace|file|link|portal):/.test(range)) {
        problems.push(
          `${name}: ${field}.${dep} is "${range}" (not resolvable from a registry)`,
        );
      } else if (
        versions.has(dep) &&
        !semver.satisfies(versions.get(dep), range)
      ) {
        problems.push(
          `${name}: ${field}.${dep} is "${range}", which excludes the packed ${dep}@${versions.get(
            dep,
          )}`,
        );
      }
    }
  }
  if (manifest.configSchema && !files.has(manifest.configSchema)) {
    problems.push(
      `${name}: configSchema "${manifest.configSchema}" is not in the tarball`,
    );
  }
  return problems;
}

async function tarballFiles(file) {
  const { stdout } = await execFile('tar', ['-tzf', file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Set(
    stdout
      .split('\n')
      .filter(Boolean)
      .map(line => line.replace(/^package\//, '')),
  );
}

/** The problems of a set of packed packages (`[{ name, file, manifest }]`). */
export async function checkTarballs(packed) {
  const versions = new Map(packed.map(p => [p.name, p.manifest.version]));
  const problems = [];
  for (const p of packed) {
    problems.push(
      ...checkManifest(p.manifest, await tarballFiles(p.file), versions),
    );
  }
  return problems;
}

/**
 * Tarballs packed elsewhere (by an earlier run, or fetched from the registry with `npm pack
 * <name>@<version>`), read and checked as `packCostscope` checks its own.
 */
export async function readTarballs(dir) {
  const files = (await fs.readdir(dir)).filter(f => f.endsWith('.tgz'));
  const packed = files.map(f => {
    const file = path.join(dir, f);
    const manifest = readTarballManifest(file);
    return { name: manifest.name, version: manifest.version, file, manifest };
  });
  const problems = await checkTarballs(packed);
  if (problems.length > 0) {
    throw new Error(
      `The tarballs in ${dir} are not publishable as they are:\n  - ${problems.join(
        '\n  - ',
      )}`,
    );
  }
  return packed;
}

/** Copies a package for packing: everything but node_modules, which is linked. */
async function stagePackage(pkg, stageRoot) {
  const source = path.join(ROOT, pkg.dir);
  const target = path.join(stageRoot, path.basename(pkg.dir));
  await fs.rm(target, { recursive: true, force: true });
  await fs.cp(source, target, {
    recursive: true,
    filter: from =>
      path.relative(source, from).split(path.sep)[0] !== 'node_modules',
  });
  const nested = path.join(source, 'node_modules');
  if (await fs.stat(nested).catch(() => undefined)) {
    await fs.symlink(nested, path.join(target, 'node_modules'), 'dir');
  }
  return target;
}

/**
 * Builds and packs every Costscope package into `destination`; returns
 * `[{ name, version, dir, file, manifest }]`. Throws, listing every problem, when a tarball
 * does not pass the checks.
 */
export async function packCostscope({
  destination = path.join(ROOT, '.cache/install/tarballs'),
  log = console.log,
} = {}) {
  const packages = await findCostscopePackages();
  if (packages.length !== 6) {
    throw new Error(
      `expected the six Costscope packages under plugins/, found ${
        packages.length
      }: ${packages.map(p => p.name).join(', ')}`,
    );
  }
  const dirtyBefore = new Set(await buildOutputsInGitStatus());
  const limit = Math.max(1, Math.min(2, os.availableParallelism()));

  await run(path.join(BIN, 'tsc'), ['--pretty', 'false'], {
    cwd: ROOT,
    log,
    label: 'tsc (dist-types)',
  });
  await pool(packages, limit, pkg =>
    run(path.join(BIN, 'backstage-cli'), ['package', 'build'], {
      cwd: path.join(ROOT, pkg.dir),
      log,
      label: `build ${pkg.name}`,
    }),
  );

  const stageRoot = path.join(ROOT, '.cache/install/stage');
  await fs.rm(destination, { recursive: true, force: true });
  await fs.mkdir(destination, { recursive: true });
  const packed = await pool(packages, limit, async pkg => {
    const staged = await stagePackage(pkg, stageRoot);
    const before = new Set(await fs.readdir(destination));
    await run('npm', ['pack', '--pack-destination', destination], {
      cwd: staged,
      log,
      label: `npm pack ${pkg.name}`,
    });
    const version = JSON.parse(
      await fs.readFile(path.join(ROOT, pkg.dir, 'package.json'), 'utf8'),
    ).version;
    const fileName = `${pkg.name
      .replace(/^@/, '')
      .replace('/', '-')}-${version}.tgz`;
    const file = path.join(destination, fileName);
    if (before.has(fileName) || !(await fs.stat(file).catch(() => undefined))) {
      throw new Error(`npm pack of ${pkg.name} did not write ${fileName}`);
    }
    return { ...pkg, version, file, manifest: readTarballManifest(file) };
  });

  const problems = await checkTarballs(packed);
  const dirty = (await buildOutputsInGitStatus()).filter(
    f => !dirtyBefore.has(f),
  );
  for (const file of dirty) {
    problems.push(
      `the build left ${file} in git status (add it to .gitignore)`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `The packed Costscope packages are not publishable as they are:\n  - ${problems.join(
        '\n  - ',
      )}`,
    );
  }
  for (const p of packed) {
    log(`packed ${path.relative(ROOT, p.file)}`);
  }
  return packed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = process.argv[2]
    ? path.resolve(process.argv[2])
    : undefined;
  packCostscope({ destination }).catch(error => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
