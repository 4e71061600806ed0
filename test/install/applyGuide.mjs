// Applies Costscope's install guides to a Backstage app, taking every snippet from the READMEs.
//
//   node test/install/applyGuide.mjs <appDir> [--legacy] [--dry-run]
//
// Each code block the guides want applied is marked in the README with an HTML comment on
// the line before it, `<!-- install-test: <id> -->` (invisible on GitHub). This script knows
// the ids, not the snippets: it reads each block and puts it where the README's sentence before
// it says (for EntityPage.tsx, the page names are the backticked names in that sentence). A
// marked block that this script does not know, or an id it needs that the README lacks, fails.
import { execFile as execFileCb } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFile = promisify(execFileCb);
const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
// `yaml` through the package that declares it.
const YAML = createRequire(
  path.join(ROOT, 'plugins/costscope-backend/package.json'),
)('yaml');

export const GUIDES = {
  frontend: path.join(ROOT, 'plugins/costscope/README.md'),
  backend: path.join(ROOT, 'plugins/costscope-backend/README.md'),
  aws: path.join(ROOT, 'plugins/costscope-backend-module-aws/README.md'),
};

/** The ids this script applies, per guide. */
const KNOWN_IDS = {
  frontend: [
    'app-add',
    'nfs-features',
    'legacy-app-import',
    'legacy-app-route',
    'legacy-root-import',
    'legacy-root-item',
    'legacy-entity-import',
    'legacy-entity-tab',
    'legacy-entity-cards',
  ],
  backend: ['backend-add', 'backend-index', 'backend-config'],
  aws: ['aws-add', 'aws-index'],
};

/**
 * The marked blocks of a README: `Map<id, { lang, code, prose, line }>`, where `prose` is the
 * text between the previous code block or heading and the marker.
 */
export function parseGuide(markdown, file = 'README') {
  const lines = markdown.split('\n');
  const blocks = new Map();
  let proseStart = 0;
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6}\s/.test(lines[i])) proseStart = i + 1;
    if (/^```/.test(lines[i])) {
      // Skip any block, marked or not.
      let end = i + 1;
      while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
      i = end;
      proseStart = end + 1;
      continue;
    }
    const marker = /^<!--\s*install-test:\s*([\w-]+)\s*-->\s*$/.exec(lines[i]);
    if (!marker) continue;
    const id = marker[1];
    let start = i + 1;
    while (start < lines.length && lines[start].trim() === '') start++;
    const fence = /^```(\w*)\s*$/.exec(lines[start] ?? '');
    if (!fence) {
      throw new Error(
        `${file}:${i + 1}: marker "${id}" is not followed by a code block`,
      );
    }
    let end = start + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    if (end >= lines.length) {
      throw new Error(
        `${file}:${start + 1}: code block of "${id}" is not closed`,
      );
    }
    if (blocks.has(id))
      throw new Error(`${file}: marker "${id}" appears twice`);
    blocks.set(id, {
      lang: fence[1],
      code: lines.slice(start + 1, end).join('\n'),
      prose: lines.slice(proseStart, i).join('\n'),
      line: start + 1,
    });
    i = end;
    proseStart = end + 1;
  }
  return blocks;
}

/** Reads the three guides; fails when a marker is unknown or a known one is missing. */
export async function readGuides() {
  const guides = {};
  for (const [name, file] of Object.entries(GUIDES)) {
    const blocks = parseGuide(
      await fs.readFile(file, 'utf8'),
      path.relative(ROOT, file),
    );
    const unknown = [...blocks.keys()].filter(
      id => !KNOWN_IDS[name].includes(id),
    );
    const missing = KNOWN_IDS[name].filter(id => !blocks.has(id));
    if (unknown.length || missing.length) {
      throw new Error(
        `${path.relative(ROOT, file)}: ${[
          unknown.length &&
            `markers test/install/applyGuide.mjs does not know: ${unknown.join(
              ', ',
            )}`,
          missing.length &&
            `markers it needs but the README lacks: ${missing.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; ')}`,
      );
    }
    guides[name] = blocks;
  }
  return guides;
}

// ---------------------------------------------------------------------------------------------
// Source editing helpers

const indentOf = line => /^\s*/.exec(line)[0];

function reindent(code, indent) {
  const lines = code.split('\n');
  const common = Math.min(
    ...lines.filter(l => l.trim()).map(l => indentOf(l).length),
  );
  return lines.map(l => (l.trim() ? indent + l.slice(common) : '')).join('\n');
}

/** Drops `// path/to/file` comment lines that name the file a snippet belongs in. */
const withoutFileComment = code =>
  code
    .split('\n')
    .filter(l => !/^\s*\/\/\s*packages\/\S+\s*$/.test(l))
    .join('\n')
    .trim();

/** Adds an import snippet after the file's last import statement. */
function addImports(source, snippet, file) {
  const code = withoutFileComment(snippet);
  if (!/^import\b/.test(code)) {
    throw new Error(
      `${file}: the import snippet does not start with "import": ${code}`,
    );
  }
  if (source.includes(code)) return source;
  const importRe =
    /^import[\s\S]*?from\s+['"][^'"]+['"];?[ \t]*$|^import\s+['"][^'"]+['"];?[ \t]*$/gm;
  let last;
  for (const match of source.matchAll(importRe)) last = match;
  if (!last)
    throw new Error(`${file}: no import statement to add "${code}" after`);
  const at = last.index + last[0].length;
  return `${source.slice(0, at)}\n${code}${source.slice(at)}`;
}

/** Inserts `snippet` on its own lines before line `index` (0-based), indented as `indent`. */
function insertLines(source, lineIndex, snippet, indent) {
  const lines = source.split('\n');
  lines.splice(lineIndex, 0, reindent(withoutFileComment(snippet), indent));
  return lines.join('\n');
}

/** Line range [start, end] of `const <name> = (` up to its closing `);`. */
function constRange(lines, name, file) {
  const start = lines.findIndex(l =>
    new RegExp(`^(export )?const ${name}\\b`).test(l),
  );
  if (start < 0) throw new Error(`${file}: no "const ${name}"`);
  const end = lines.findIndex((l, i) => i > start && /^\);?\s*$/.test(l));
  if (end < 0)
    throw new Error(`${file}: "const ${name}" does not end with ");"`);
  return [start, end];
}

/** Line range of the Overview route inside [start, end], or undefined. */
function overviewRoute(lines, start, end) {
  const open = lines.findIndex(
    (l, i) =>
      i > start &&
      i < end &&
      /<EntityLayout\.Route\b[^>]*title="Overview"/.test(l),
  );
  if (open < 0) return undefined;
  const close = lines.findIndex(
    (l, i) => i > open && /<\/EntityLayout\.Route>/.test(l),
  );
  return [open, close];
}

/** The line of the `</Grid>` closing the first `<Grid container` in [start, end]. */
function gridContainerClose(lines, start, end, file, name) {
  let depth = 0;
  let opened = false;
  for (let i = start; i <= end; i++) {
    for (const tag of lines[i].matchAll(/<Grid\b([^>]*?)(\/?)>|<\/Grid>/g)) {
      if (tag[0] === '</Grid>') {
        depth--;
        if (opened && depth === 0) return i;
      } else if (!tag[2]) {
        if (!opened && !/\bcontainer\b/.test(tag[1])) continue;
        opened = true;
        depth++;
      }
    }
  }
  throw new Error(`${file}: no Overview <Grid container> in ${name}`);
}

/** The backticked identifiers of `prose` that name a `const` of `source`. */
function namedConsts(prose, source) {
  const names = [...prose.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map(m => m[1]);
  return [...new Set(names)].filter(n =>
    new RegExp(`^(export )?const ${n}\\b`, 'm').test(source),
  );
}

// ---------------------------------------------------------------------------------------------

/** The shell commands of a `sh` block, one per non-comment line, split on whitespace. */
function commandsOf(block, id) {
  const commands = block.code
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
    .map(l => l.split(/\s+/));
  if (commands.length === 0)
    throw new Error(`guide block ${id} has no command`);
  for (const command of commands) {
    if (command.some(word => /["'`$|;&<>\\]/.test(word))) {
      throw new Error(
        `guide block ${id}: "${command.join(
          ' ',
        )}" needs a shell; keep it plain`,
      );
    }
  }
  return commands;
}

async function edit(appDir, file, change) {
  const full = path.join(appDir, file);
  const before = await fs.readFile(full, 'utf8');
  const after = change(before, file);
  if (after !== before) await fs.writeFile(full, after);
  return after !== before;
}

function applyBackendIndex(source, block, file) {
  const adds = withoutFileComment(block.code)
    .split('\n')
    .map(l => l.trim())
    .filter(l => l.startsWith('backend.add('));
  if (adds.length === 0)
    throw new Error(`guide block has no backend.add(...) line`);
  const lines = source.split('\n');
  const startLine = lines.findIndex(l => /^\s*backend\.start\(\)/.test(l));
  if (startLine < 0) throw new Error(`${file}: no backend.start()`);
  const missing = adds.filter(add => !source.includes(add));
  if (missing.length === 0) return source;
  lines.splice(startLine, 0, ...missing, '');
  return lines.join('\n');
}

/**
 * Applies the guides to the app in `appDir`: the add commands (run through `run(command,
 * args, { cwd })`), the backend, the config and the frontend of `system` ('new' or 'legacy').
 * Returns the steps taken, in words.
 */
export async function applyGuide({ appDir, system, run, guides }) {
  guides ??= await readGuides();
  const { frontend, backend, aws } = guides;
  const steps = [];
  const runBlock = async (block, id) => {
    for (const [command, ...args] of commandsOf(block, id)) {
      await run(command, args, { cwd: appDir });
      steps.push(`ran ${[command, ...args].join(' ')}`);
    }
  };

  // Packages: the frontend, the backend, the optional AWS module.
  await runBlock(frontend.get('app-add'), 'app-add');
  await runBlock(backend.get('backend-add'), 'backend-add');
  await runBlock(aws.get('aws-add'), 'aws-add');

  // Backend: backend.add(...) lines, the plugin's and then the module's.
  for (const id of ['backend-index', 'aws-index']) {
    const block = (id === 'aws-index' ? aws : backend).get(id);
    if (
      await edit(appDir, 'packages/backend/src/index.ts', (s, f) =>
        applyBackendIndex(s, block, f),
      )
    ) {
      steps.push(`${id}: packages/backend/src/index.ts`);
    }
  }

  // Config: the guide's `costscope:` block, appended to app-config.yaml as written.
  const configBlock = backend.get('backend-config');
  const costscopeConfig = YAML.parse(configBlock.code);
  if (!costscopeConfig?.costscope) {
    throw new Error(
      'backend guide: the config block has no top-level costscope key',
    );
  }
  await edit(appDir, 'app-config.yaml', (s, f) => {
    if (YAML.parse(s)?.costscope)
      throw new Error(`${f} already has a costscope key`);
    return `${s.replace(/\n*$/, '\n')}\n${configBlock.code.trim()}\n`;
  });
  steps.push('backend-config: app-config.yaml');

  if (system === 'new') {
    const appConfig = YAML.parse(
      await fs.readFile(path.join(appDir, 'app-config.yaml'), 'utf8'),
    );
    if (appConfig?.app?.packages === 'all') {
      steps.push(
        'nfs-features: not needed, app-config.yaml has app.packages: all',
      );
    } else {
      const block = frontend.get('nfs-features');
      const code = withoutFileComment(block.code);
      const importLine = code.split('\n').find(l => l.startsWith('import'));
      const name = /^import\s+(\w+)/.exec(importLine)[1];
      await edit(appDir, 'packages/app/src/App.tsx', (s, f) => {
        let out = addImports(s, importLine, f);
        if (!/features:\s*\[/.test(out))
          throw new Error(`${f}: no "features: [" to add ${name} to`);
        out = out.replace(
          /features:\s*\[([^\]]*?)\s*\]/,
          (m, list) => `features: [${list.replace(/,\s*$/, '')}, ${name}]`,
        );
        return out;
      });
      steps.push('nfs-features: packages/app/src/App.tsx');
    }
    return steps;
  }
  if (system !== 'legacy')
    throw new Error(`unknown frontend system "${system}"`);

  // App.tsx: the page's import and route.
  await edit(appDir, 'packages/app/src/App.tsx', (s, f) => {
    let out = addImports(s, frontend.get('legacy-app-import').code, f);
    const lines = out.split('\n');
    const close = lines.findIndex(l => /<\/FlatRoutes>/.test(l));
    if (close < 0) throw new Error(`${f}: no </FlatRoutes>`);
    out = insertLines(
      out,
      close,
      frontend.get('legacy-app-route').code,
      `${indentOf(lines[close])}  `,
    );
    return out;
  });
  steps.push('legacy-app-import, legacy-app-route: packages/app/src/App.tsx');

  // Root.tsx: the icon's import and the sidebar item, after the global items of "Menu".
  await edit(appDir, 'packages/app/src/components/Root/Root.tsx', (s, f) => {
    let out = addImports(s, frontend.get('legacy-root-import').code, f);
    const lines = out.split('\n');
    let at = lines.findIndex(l => /End global nav/.test(l));
    if (at < 0) {
      const menu = lines.findIndex(l =>
        /<SidebarGroup\b[^>]*label="Menu"/.test(l),
      );
      at = lines.findIndex((l, i) => i > menu && /<SidebarDivider/.test(l));
    }
    if (at < 0)
      throw new Error(
        `${f}: cannot find the end of the sidebar's global items`,
      );
    return insertLines(
      out,
      at,
      frontend.get('legacy-root-item').code,
      indentOf(lines[at]),
    );
  });
  steps.push(
    'legacy-root-import, legacy-root-item: packages/app/src/components/Root/Root.tsx',
  );

  // EntityPage.tsx: imports, the tab after each named page's Overview route, the cards at the
  // end of each named Overview grid.
  const entityPage = 'packages/app/src/components/catalog/EntityPage.tsx';
  await edit(appDir, entityPage, (s, f) => {
    let out = addImports(s, frontend.get('legacy-entity-import').code, f);
    const tab = frontend.get('legacy-entity-tab');
    const tabPages = namedConsts(tab.prose, out);
    if (tabPages.length === 0)
      throw new Error(`${f}: the tab's sentence names no page of this file`);
    for (const name of tabPages) {
      const lines = out.split('\n');
      const [start, end] = constRange(lines, name, f);
      const route = overviewRoute(lines, start, end);
      if (!route) throw new Error(`${f}: ${name} has no Overview route`);
      out = insertLines(out, route[1] + 1, tab.code, indentOf(lines[route[0]]));
    }
    steps.push(`legacy-entity-tab: ${tabPages.join(', ')}`);
    const cards = frontend.get('legacy-entity-cards');
    const cardPages = namedConsts(cards.prose, out);
    if (cardPages.length === 0)
      throw new Error(`${f}: the cards' sentence names no page of this file`);
    for (const name of cardPages) {
      const lines = out.split('\n');
      const [start, end] = constRange(lines, name, f);
      const route = overviewRoute(lines, start, end);
      const [from, to] = route ?? [start, end];
      const close = gridContainerClose(lines, from, to, f, name);
      out = insertLines(out, close, cards.code, `${indentOf(lines[close])}  `);
    }
    steps.push(`legacy-entity-cards: ${cardPages.join(', ')}`);
    return out;
  });
  return steps;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const appDir = args.find(a => !a.startsWith('--'));
  if (!appDir) {
    console.error(
      'usage: node test/install/applyGuide.mjs <appDir> [--legacy] [--dry-run]',
    );
    process.exit(2);
  }
  const dryRun = args.includes('--dry-run');
  applyGuide({
    appDir: path.resolve(appDir),
    system: args.includes('--legacy') ? 'legacy' : 'new',
    run: async (command, commandArgs, { cwd }) => {
      console.log(
        `${dryRun ? '(dry run) ' : ''}$ ${command} ${commandArgs.join(' ')}`,
      );
      if (!dryRun)
        await execFile(command, commandArgs, { cwd, stdio: 'inherit' });
    },
  })
    .then(steps => steps.forEach(step => console.log(step)))
    .catch(error => {
      console.error(error.message);
      process.exitCode = 1;
    });
}
