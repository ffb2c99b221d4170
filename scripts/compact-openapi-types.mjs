// Compacts openapi-typescript's output before it is printed, for the codegens of qlik-cloud and qrs: the
// members that say nothing are dropped, so the generated types (and the declarations partners load) carry
// each operation once and only what it has.
//   - a path item's `put?: never` (every method it lacks) and its `parameters` block when all four are never;
//   - an operation's `requestBody?: never` and its `query?: never` / `header?: never` / `path?: never` /
//     `cookie?: never` (and `parameters` itself when nothing is left);
//   - a response's `headers: { [name: string]: unknown }` (no declared header: openapi-fetch never reads it),
//     in operations and in `components.responses`;
//   - the JSDoc of a path item's methods, of each response status and of its headers: no editor shows them to a caller of
//     `client.GET('/api/v1/...')` (the schemas' and parameters' JSDoc, which hovers show, is kept);
//   - and a type literal without JSDoc inside is printed on one line (elsewhere too, when it is short);
//   - the JSDoc of an operation's `requestBody` (a call's `body` shows the schema's, not this one);
//   - every JSDoc that is kept says what the type does not: its description first and untagged (no
//     `@description`), its `Format:` after it, `@default` and `@deprecated` as written; no `@enum {string}` or
//     `@constant` (the type is that union or literal), no `@example` (a sample value, or a JSON payload whose
//     shape the type says; 29 KB of qlik-cloud's declarations); one line when it fits on one;
//   - then shortTypeNames (below): `Schemas["X"]` for `components["schemas"]["X"]`, `JsonBody<T>`, ….
// Every type is unchanged; what the clients infer is unchanged.
import ts from 'typescript';

const nameOf = (member) =>
  member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isNumericLiteral(member.name))
    ? member.name.text
    : undefined;

const isOptionalNever = (member) =>
  ts.isPropertySignature(member) &&
  member.questionToken !== undefined &&
  member.type?.kind === ts.SyntaxKind.NeverKeyword;

/** `{ [name: string]: unknown }`: the headers openapi-typescript writes for a response that declares none. */
const isOpenHeaders = (type) =>
  type !== undefined &&
  ts.isTypeLiteralNode(type) &&
  type.members.length === 1 &&
  ts.isIndexSignatureDeclaration(type.members[0]) &&
  type.members[0].type.kind === ts.SyntaxKind.UnknownKeyword;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const hasJsDoc = (node) => (ts.getSyntheticLeadingComments(node) ?? []).length > 0;

/** Prints a type literal on one line when nothing inside it carries JSDoc. */
function singleLineIfPlain(node) {
  let plain = true;
  const visit = (child) => {
    if (hasJsDoc(child)) plain = false;
    if (plain) ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  if (!plain) return node;
  const flatten = (child) => {
    if (ts.isTypeLiteralNode(child)) ts.setEmitFlags(child, ts.EmitFlags.SingleLine);
    ts.forEachChild(child, flatten);
  };
  flatten(node);
  return node;
}

/** One openapi-typescript JSDoc text (`* a ` or `*\n * a\n * b\n `) rewritten as described above. */
export function compactJsDocText(text) {
  const items = [];
  for (const line of text.replace(/^\*/, '').split('\n')) {
    const content = line.replace(/^\s*\* ?/, '').replace(/\s+$/, '');
    if (content.trim() === '') continue;
    // openapi-typescript indents an item's further lines by five spaces: they continue the previous item.
    if (/^ {4}/.test(content) && items.length > 0) items[items.length - 1].push(content.slice(4));
    else items.push([content.trim()]);
  }
  const description = [];
  const format = [];
  const tags = [];
  for (const item of items) {
    const [first] = item;
    if (/^@(enum|constant)\b/.test(first)) continue;
    if (/^@example\b/.test(first)) continue;
    if (first.startsWith('@description ')) description.push(first.slice('@description '.length), ...item.slice(1));
    else if (first.startsWith('Format: ')) format.push(...item);
    else if (first.startsWith('@')) tags.push(...item);
    else description.push(...item);
  }
  if (format.length > 0) {
    if (description.length > 0) description[description.length - 1] += ` (${format.join(' ')})`;
    else description.push(...format);
  }
  const lines = [...description, ...tags];
  if (lines.length === 0) return undefined;
  return lines.length === 1 ? `* ${lines[0]} ` : `*\n * ${lines.join('\n * ')}\n `;
}

/** Every synthetic JSDoc under node, compacted (dropped when nothing is left). */
function compactJsDocs(node) {
  const comments = ts.getSyntheticLeadingComments(node);
  if (comments && comments.length > 0) {
    const kept = comments.flatMap((comment) => {
      if (comment.kind !== ts.SyntaxKind.MultiLineCommentTrivia || !comment.text.startsWith('*')) return [comment];
      const text = compactJsDocText(comment.text);
      return text === undefined ? [] : [{ ...comment, text }];
    });
    ts.setSyntheticLeadingComments(node, kept.length > 0 ? kept : undefined);
  }
  // forEachChild stops at the first child whose callback answers something truthy: answer nothing.
  ts.forEachChild(node, (child) => {
    compactJsDocs(child);
  });
}

function withoutJsDoc(node) {
  ts.setSyntheticLeadingComments(node, undefined);
  return node;
}

function withMembers(member, type, members) {
  const literal = singleLineIfPlain(ts.factory.updateTypeLiteralNode(type, ts.factory.createNodeArray(members)));
  return ts.factory.updatePropertySignature(member, member.modifiers, member.name, member.questionToken, literal);
}

/** The `parameters` member without its never entries; undefined when none is left. */
function compactParameters(member) {
  if (!member.type || !ts.isTypeLiteralNode(member.type)) return member;
  const kept = member.type.members.filter((entry) => !isOptionalNever(entry));
  return kept.length === 0 ? undefined : withMembers(member, member.type, kept);
}

/** One response object (a status of an operation's `responses`, or a member of `components.responses`) without its open headers. */
function withoutOpenHeaders(response) {
  if (!ts.isPropertySignature(response) || !response.type || !ts.isTypeLiteralNode(response.type)) return response;
  const kept = response.type.members.filter((part) => !(nameOf(part) === 'headers' && isOpenHeaders(part.type)));
  return withMembers(response, response.type, kept);
}

/** A node and everything under it without JSDoc. */
function withoutAnyJsDoc(node) {
  withoutJsDoc(node);
  ts.forEachChild(node, (child) => {
    withoutAnyJsDoc(child);
  });
  return node;
}

/** A status's declared headers without their JSDoc: openapi-fetch does not type a response's headers. */
function withUndocumentedHeaders(status) {
  if (!ts.isPropertySignature(status) || !status.type || !ts.isTypeLiteralNode(status.type)) return status;
  for (const part of status.type.members) if (nameOf(part) === 'headers') withoutAnyJsDoc(part);
  return withMembers(status, status.type, status.type.members);
}

function compactResponses(member) {
  if (!member.type || !ts.isTypeLiteralNode(member.type)) return member;
  const statuses = member.type.members.map((status) =>
    withoutJsDoc(withUndocumentedHeaders(withoutOpenHeaders(status))),
  );
  return withMembers(member, member.type, statuses);
}

/** `components`: its `responses` without open headers (their JSDoc, the response's name in words, is kept). */
function compactComponentsMember(member) {
  if (nameOf(member) !== 'responses' || !member.type || !ts.isTypeLiteralNode(member.type)) return member;
  return ts.factory.updatePropertySignature(
    member,
    member.modifiers,
    member.name,
    member.questionToken,
    ts.factory.updateTypeLiteralNode(
      member.type,
      ts.factory.createNodeArray(member.type.members.map(withoutOpenHeaders)),
    ),
  );
}

/** One operation object (a member of `operations`, or a method of a path item written inline). */
function compactOperation(member) {
  if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeLiteralNode(member.type)) return member;
  const kept = [];
  for (const part of member.type.members) {
    const name = nameOf(part);
    if (name === 'requestBody' && isOptionalNever(part)) continue;
    if (name === 'parameters' && ts.isPropertySignature(part)) {
      const parameters = compactParameters(part);
      if (parameters) kept.push(parameters);
      continue;
    }
    if (name === 'requestBody') withoutJsDoc(part);
    kept.push(name === 'responses' && ts.isPropertySignature(part) ? compactResponses(part) : part);
  }
  return withMembers(member, member.type, kept);
}

function compactPathItem(member) {
  if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeLiteralNode(member.type)) return member;
  const kept = [];
  for (const part of member.type.members) {
    const name = nameOf(part);
    if (isOptionalNever(part)) continue;
    if (name === 'parameters' && ts.isPropertySignature(part)) {
      const parameters = compactParameters(part);
      if (parameters) kept.push(parameters);
      continue;
    }
    if (!METHODS.has(name)) kept.push(part);
    else kept.push(withoutJsDoc(part.type && ts.isTypeLiteralNode(part.type) ? compactOperation(part) : part));
  }
  return withMembers(member, member.type, kept);
}

function compactInterface(node, compactMember) {
  return ts.factory.updateInterfaceDeclaration(
    node,
    node.modifiers,
    node.name,
    node.typeParameters,
    node.heritageClauses,
    node.members.map(compactMember),
  );
}

/**
 * openapi-typescript's top-level nodes, compacted; pass the result to its `astToString`.
 * `{ shorthands: false }` leaves out shortTypeNames (the codegens' checks compare the two outputs).
 */
export function compactOpenApiTypes(nodes, { shorthands = true } = {}) {
  nodes.forEach(compactJsDocs);
  const compacted = nodes.map((node) => {
    if (!ts.isInterfaceDeclaration(node)) return node;
    if (node.name.text === 'paths') return compactInterface(node, compactPathItem);
    if (node.name.text === 'operations') return compactInterface(node, compactOperation);
    if (node.name.text === 'components') return compactInterface(node, compactComponentsMember);
    return node;
  });
  compacted.forEach(flattenPlainLiterals);
  return shorthands ? shortTypeNames(compacted) : compacted;
}

/** A type literal that withMembers did not put on one line goes on one line when it prints this short. */
const FLAT_LITERAL_MAX = 160;
const printer = ts.createPrinter({ removeComments: true });
const scratch = ts.createSourceFile('scratch.ts', '', ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

function containsJsDoc(node) {
  let found = false;
  const visit = (child) => {
    if (hasJsDoc(child)) found = true;
    else if (!found) ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** Every short type literal without JSDoc inside (a schema's undocumented object, a body's `content`) on one line. */
function flattenPlainLiterals(node) {
  if (ts.isTypeLiteralNode(node) && !containsJsDoc(node)) {
    const literals = [];
    const collect = (child) => {
      if (ts.isTypeLiteralNode(child)) literals.push([child, ts.getEmitFlags(child)]);
      ts.forEachChild(child, collect);
    };
    collect(node);
    for (const [literal, flags] of literals) ts.setEmitFlags(literal, flags | ts.EmitFlags.SingleLine);
    if (printer.printNode(ts.EmitHint.Unspecified, node, scratch).length <= FLAT_LITERAL_MAX) return;
    for (const [literal, flags] of literals) ts.setEmitFlags(literal, flags);
  }
  ts.forEachChild(node, (child) => {
    flattenPlainLiterals(child);
  });
}

/** `components["<section>"]` → its shorthand; the sections a generated module refers to most. */
const SECTION_ALIASES = new Map([
  ['schemas', 'Schemas'],
  ['responses', 'Responses'],
  ['requestBodies', 'RequestBodies'],
]);
const JSON_BODY = 'JsonBody';
const JSON_OF = 'JsonOf';
/** The names shortTypeNames adds to every module, which an entry point re-exports with `components`. */
export const SHORTHAND_NAMES = [...SECTION_ALIASES.values(), JSON_BODY, JSON_OF];

const literalText = (node) =>
  ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) ? node.literal.text : undefined;

/** `components["schemas"]`, … : the shorthand that names it, or undefined. */
function sectionAliasOf(node) {
  if (!ts.isIndexedAccessTypeNode(node)) return undefined;
  const { objectType } = node;
  if (!ts.isTypeReferenceNode(objectType) || !ts.isIdentifier(objectType.typeName)) return undefined;
  if (objectType.typeName.text !== 'components' || objectType.typeArguments) return undefined;
  return SECTION_ALIASES.get(literalText(node.indexType));
}

/** The single required, undocumented member of a type literal, when it is named `name`: its type. */
function onlyMember(node, name) {
  if (!ts.isTypeLiteralNode(node) || node.members.length !== 1) return undefined;
  const [member] = node.members;
  if (!ts.isPropertySignature(member) || member.questionToken || member.modifiers?.length || hasJsDoc(member)) {
    return undefined;
  }
  return nameOf(member) === name ? member.type : undefined;
}

/** `{ content: { "application/json": T } }` (a JSON-only response or request body): T, or undefined. */
function jsonContentOf(node) {
  const content = onlyMember(node, 'content');
  return content === undefined ? undefined : onlyMember(content, 'application/json');
}

const exportKeyword = () => [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)];

/**
 * Shorthands that resolve to the very types they replace, so that the generated modules (and the
 * declarations partners load) spell each reference once:
 *   - `components["schemas"]["X"]` is written `Schemas["X"]` (`Responses`, `RequestBodies` likewise);
 *   - a response or request body with only a JSON payload, `{ content: { "application/json": T } }`, is
 *     written `JsonBody<T>`, and `JsonOf<"X">` when T is `Schemas["X"]` (most error responses).
 * They are exported (every module has all five), so that a declaration tsc emits elsewhere for an inferred
 * type can name them as it names `components`, instead of spelling out the schema.
 */
export function shortTypeNames(nodes) {
  const visit = (node) => {
    const alias = sectionAliasOf(node);
    if (alias) return ts.factory.createTypeReferenceNode(alias);
    const json = jsonContentOf(node);
    if (json) {
      const schema =
        sectionAliasOf(json) === undefined &&
        ts.isIndexedAccessTypeNode(json) &&
        sectionAliasOf(json.objectType) === 'Schemas'
          ? literalText(json.indexType)
          : undefined;
      if (schema !== undefined) {
        return ts.factory.createTypeReferenceNode(JSON_OF, [
          ts.factory.createLiteralTypeNode(ts.factory.createStringLiteral(schema)),
        ]);
      }
      return ts.factory.createTypeReferenceNode(JSON_BODY, [ts.visitNode(json, visit)]);
    }
    return ts.visitEachChild(node, visit, ts.nullTransformationContext);
  };
  const shortened = nodes.map((node) => ts.visitNode(node, visit));
  const aliases = [...SECTION_ALIASES].map(([section, alias]) =>
    ts.factory.createTypeAliasDeclaration(
      exportKeyword(),
      alias,
      undefined,
      ts.factory.createIndexedAccessTypeNode(
        ts.factory.createTypeReferenceNode('components'),
        ts.factory.createLiteralTypeNode(ts.factory.createStringLiteral(section)),
      ),
    ),
  );
  const payload = ts.factory.createPropertySignature(
    undefined,
    ts.factory.createStringLiteral('application/json'),
    undefined,
    ts.factory.createTypeReferenceNode('T'),
  );
  const content = ts.factory.createTypeLiteralNode([payload]);
  const body = ts.factory.createTypeLiteralNode([
    ts.factory.createPropertySignature(undefined, 'content', undefined, content),
  ]);
  ts.setEmitFlags(content, ts.EmitFlags.SingleLine);
  ts.setEmitFlags(body, ts.EmitFlags.SingleLine);
  const jsonContent = ts.factory.createTypeAliasDeclaration(
    exportKeyword(),
    JSON_BODY,
    [ts.factory.createTypeParameterDeclaration(undefined, 'T')],
    body,
  );
  const schemaKey = ts.factory.createTypeOperatorNode(
    ts.SyntaxKind.KeyOfKeyword,
    ts.factory.createTypeReferenceNode('Schemas'),
  );
  const jsonOf = ts.factory.createTypeAliasDeclaration(
    exportKeyword(),
    JSON_OF,
    [ts.factory.createTypeParameterDeclaration(undefined, 'K', schemaKey)],
    ts.factory.createTypeReferenceNode(JSON_BODY, [
      ts.factory.createIndexedAccessTypeNode(
        ts.factory.createTypeReferenceNode('Schemas'),
        ts.factory.createTypeReferenceNode('K'),
      ),
    ]),
  );
  return [...shortened, ...aliases, jsonContent, jsonOf];
}
