// @ts-check
/**
 * Walkup's layer rules as a small local ESLint plugin (`walkup/layers`, `walkup/pure-policy`).
 * eslint.config.js holds the allow-lists; docs/architecture.md explains them.
 *
 * Why hand-written: the layers are folders, and every import between Walkup's own files is a
 * relative path, so deciding which layer an import reaches needs only `path.resolve`. The
 * well-kept plugins that do this (eslint-plugin-boundaries, eslint-plugin-import-x's
 * `no-restricted-paths`) need a module resolver configured for extensionless TypeScript paths
 * (eslint-import-resolver-typescript, with a native resolver binary) and a handful of packages
 * for what is about a hundred lines here; ESLint's own `no-restricted-imports` matches import
 * strings, not the folder they resolve to, so it cannot tell `../config/schema` (inside core)
 * from `../cli/io` (outside it). test/unit/lint/layers.test.ts pins every rule.
 *
 * `walkup/layers` checks every way a module is reached: `import`, `import type`, `export … from`,
 * `import()` (a source that is not a plain string is an error: it cannot be checked) and
 * `require()`.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';

/**
 * @typedef {object} Layer
 * @property {string} name           Folder or file (without extension), relative to the repo root.
 * @property {string[]} internal     Folders/files of the repository it may import (its own included).
 * @property {string[]} [typeOnly]   Folders/files it may reach with `import type` / `export type` only.
 * @property {string[]} packages     npm packages it may import (`name`, or `@scope/*`).
 * @property {boolean} node          Whether it may import Node built-ins.
 * @property {string} [why]          One sentence printed with each error.
 */

/** `react-dom/client` -> `react-dom`; `@fastify/static/x` -> `@fastify/static`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Whether `target` (repo-relative, no extension) is `prefix` or inside it. */
function within(target, prefix) {
  return target === prefix || target.startsWith(`${prefix}/`);
}

/** The repo-relative path of a file or import target, with `/` and no `.ts`/`.tsx`/`.js` ending. */
function repoPath(cwd, absolute) {
  return path
    .relative(cwd, absolute)
    .split(path.sep)
    .join('/')
    .replace(/\.(ts|tsx|js|mjs|cjs)$/, '');
}

/** The layer a file belongs to: the longest matching `name`. */
function layerOf(layers, file) {
  let found;
  for (const layer of layers) {
    if (within(file, layer.name) && (!found || layer.name.length > found.name.length)) found = layer;
  }
  return found;
}

/**
 * Whether a declaration (`import type …`, `export type …`) loads nothing at run time. Only the
 * declaration form counts: with `verbatimModuleSyntax`, `import { type A } from 'x'` still loads
 * `x`.
 */
function isTypeOnly(node) {
  return node.importKind === 'type' || node.exportKind === 'type';
}

/**
 * Calls `check(sourceNode, typeOnly)` for every module a file reaches, and `computed(node)` for an
 * `import()`/`require()` whose source is not a plain string.
 */
function visitModuleSources(check, computed) {
  const literal = (node) =>
    node.type === 'Literal' && typeof node.value === 'string'
      ? node.value
      : node.type === 'TemplateLiteral' && node.expressions.length === 0
        ? node.quasis[0].value.cooked
        : undefined;
  return {
    ImportDeclaration: (node) => check(node.source, node.source.value, isTypeOnly(node)),
    ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value, isTypeOnly(node)),
    ExportAllDeclaration: (node) => check(node.source, node.source.value, isTypeOnly(node)),
    ImportExpression: (node) => {
      const value = literal(node.source);
      if (value === undefined) computed(node);
      else check(node.source, value, false);
    },
    CallExpression: (node) => {
      if (node.callee.type !== 'Identifier' || node.callee.name !== 'require' || node.arguments.length !== 1)
        return;
      const value = literal(node.arguments[0]);
      if (value === undefined) computed(node);
      else check(node.arguments[0], value, false);
    },
  };
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only what its layer allows (an allow-list).' },
    schema: [{ type: 'object', properties: { layers: { type: 'array' } }, additionalProperties: false }],
    messages: {
      notAllowed:
        "{{layer}} may not import '{{specifier}}' ({{target}}). {{layer}} may import: {{allowed}}.{{why}}",
      typeOnly: "{{layer}} may import '{{specifier}}' ({{target}}) only with `import type`.{{why}}",
      computed:
        '{{layer}}: import()/require() with a computed source cannot be checked against the layer rules.',
    },
  },
  create(context) {
    /** @type {Layer[]} */
    const layers = context.options[0]?.layers ?? [];
    const cwd = context.cwd;
    const file = repoPath(cwd, context.filename);
    const layer = layerOf(layers, file);
    if (!layer) return {};
    const allowed = [
      ...layer.internal,
      ...(layer.typeOnly ?? []).map((name) => `${name} (types only)`),
      ...(layer.node ? ['Node built-ins'] : []),
      ...layer.packages,
    ].join(', ');
    const why = layer.why ? ` ${layer.why}` : '';
    const packageAllowed = (name) =>
      layer.packages.some((allowedName) =>
        allowedName.endsWith('/*') ? name.startsWith(allowedName.slice(0, -1)) : name === allowedName,
      );

    return visitModuleSources(
      (node, specifier, typeOnly) => {
        let target;
        if (specifier.startsWith('.') || specifier.startsWith('/')) {
          target = repoPath(cwd, path.resolve(path.dirname(context.filename), specifier));
          if (layer.internal.some((prefix) => within(target, prefix))) return;
          if (layer.typeOnly?.some((prefix) => within(target, prefix))) {
            if (typeOnly) return;
            context.report({
              node,
              messageId: 'typeOnly',
              data: { layer: layer.name, specifier, target, why },
            });
            return;
          }
        } else if (isBuiltin(specifier)) {
          target = 'Node built-in';
          if (layer.node) return;
        } else {
          target = `package ${packageName(specifier)}`;
          if (packageAllowed(packageName(specifier))) return;
        }
        context.report({
          node,
          messageId: 'notAllowed',
          data: { layer: layer.name, specifier, target, allowed, why },
        });
      },
      (node) => context.report({ node, messageId: 'computed', data: { layer: layer.name } }),
    );
  },
};

/** @type {import('eslint').Rule.RuleModule} */
const purePolicyRule = {
  meta: {
    type: 'problem',
    docs: { description: 'A *-policy module decides; it loads no module that does I/O (types are fine).' },
    schema: [
      {
        type: 'object',
        properties: {
          ioModules: { type: 'array', items: { type: 'string' } },
          pureNames: { type: 'object' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      io: "A policy module is pure: '{{specifier}}' does I/O. Take the value as a parameter, or import only its types (`import type`).",
      ioName:
        "A policy module is pure: '{{name}}' from '{{specifier}}' is not one of its pure functions ({{pure}}).",
      computed: 'A policy module loads no module with a computed import()/require().',
    },
  },
  create(context) {
    const ioModules = new Set(context.options[0]?.ioModules ?? []);
    /** @type {Record<string, string[]>} */
    const pureNames = context.options[0]?.pureNames ?? {};
    const normalise = (specifier) => (isBuiltin(specifier) ? specifier.replace(/^node:/, '') : specifier);
    const isIo = (specifier) => ioModules.has(normalise(specifier)) || ioModules.has(packageName(specifier));
    return visitModuleSources(
      (node, specifier, typeOnly) => {
        if (typeOnly || !isIo(specifier)) return;
        const pure = pureNames[normalise(specifier)];
        const parent = node.parent;
        if (pure && parent?.type === 'ImportDeclaration' && parent.specifiers.length > 0) {
          for (const imported of parent.specifiers) {
            if (imported.type === 'ImportSpecifier' && imported.importKind === 'type') continue;
            const name = imported.type === 'ImportSpecifier' ? (imported.imported.name ?? '') : '*';
            if (!pure.includes(name)) {
              context.report({
                node: imported,
                messageId: 'ioName',
                data: { name, specifier, pure: pure.join(', ') },
              });
            }
          }
          return;
        }
        context.report({ node, messageId: 'io', data: { specifier } });
      },
      (node) => context.report({ node, messageId: 'computed' }),
    );
  },
};

export default { rules: { layers: layersRule, 'pure-policy': purePolicyRule } };
