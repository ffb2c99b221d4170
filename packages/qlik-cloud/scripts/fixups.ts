/**
 * Pre-processing applied to each Qlik Cloud spec before openapi-typescript sees it.
 * Each fix-up is described in specs/qlik-cloud/CODEGEN-NOTES.md; the specs themselves stay byte-identical copies.
 */

type Json = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sorts the keys of an object (one level) so generated output does not depend on upstream key order. */
function sortKeys<T extends Json>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

function operationsOf(spec: Json): Array<{ path: string; method: string; operation: Json; pathItem: Json }> {
  const result: Array<{ path: string; method: string; operation: Json; pathItem: Json }> = [];
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation)) result.push({ path, method, operation, pathItem });
    }
  }
  return result;
}

/**
 * Auth is added by the transport, so an `Authorization` header parameter (required in reloads and audits)
 * would only force callers to pass a dummy value.
 */
function stripAuthorizationHeaderParams(spec: Json): void {
  const isAuthHeader = (param: unknown): boolean =>
    isObject(param) &&
    param.in === 'header' &&
    typeof param.name === 'string' &&
    param.name.toLowerCase() === 'authorization';
  const strip = (holder: Json): void => {
    if (Array.isArray(holder.parameters)) holder.parameters = holder.parameters.filter((p) => !isAuthHeader(p));
  };
  for (const { operation, pathItem } of operationsOf(spec)) {
    strip(operation);
    strip(pathItem);
  }
  const components = isObject(spec.components) ? spec.components : undefined;
  if (components && isObject(components.parameters)) {
    for (const [name, param] of Object.entries(components.parameters)) {
      if (isAuthHeader(param)) delete components.parameters[name];
    }
  }
}

/** Template variables a path declares no parameter for (apps: `/reloads/metadata/{reloadId}`) get a string one. */
function declareMissingPathParams(spec: Json): void {
  for (const { path, operation, pathItem } of operationsOf(spec)) {
    const declared = new Set<string>();
    for (const holder of [pathItem, operation]) {
      if (!Array.isArray(holder.parameters)) continue;
      for (const param of holder.parameters) {
        if (isObject(param) && param.in === 'path' && typeof param.name === 'string') declared.add(param.name);
      }
    }
    for (const match of path.matchAll(/\{([^}]+)\}/g)) {
      const name = match[1];
      if (name === undefined || declared.has(name)) continue;
      const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
      parameters.push({ in: 'path', name, required: true, schema: { type: 'string' } });
      operation.parameters = parameters;
    }
  }
}

/** openapi-typescript types an unmapped discriminator as the schema name; map the protocol values instead. */
const IDENTITY_PROVIDER_DISCRIMINATORS: Record<string, Record<string, string>> = {
  IDPPostSchema: { OIDC: 'CreateOIDCPayload', jwtAuth: 'CreateJWTAuthPayload', SAML: 'CreateSAMLPayload' },
  IDP: { OIDC: 'IDPOIDC', SAML: 'IDPSAML', jwtAuth: 'IDPJWTAuth' },
};

function mapIdentityProviderDiscriminators(spec: Json): void {
  const schemas = isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  for (const [schemaName, mapping] of Object.entries(IDENTITY_PROVIDER_DISCRIMINATORS)) {
    const schema = schemas[schemaName];
    if (!isObject(schema) || !isObject(schema.discriminator)) {
      throw new Error(
        `identity-providers: expected ${schemaName} with a discriminator; the spec changed, revisit the fix-up`,
      );
    }
    schema.discriminator.mapping = Object.fromEntries(
      Object.entries(mapping).map(([value, target]) => [value, `#/components/schemas/${target}`]),
    );
  }
}

/**
 * `/users/me` and `/tenants/me` are declared as redirects only. fetch follows redirects, so the caller
 * receives the JSON of the resource redirected to: give the operation that 200 response.
 */
function typeRedirectedJson(spec: Json, path: string, schemaName: string): void {
  const pathItem = isObject(spec.paths) ? spec.paths[path] : undefined;
  const operation = isObject(pathItem) ? pathItem.get : undefined;
  const schemas = isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  if (!isObject(operation) || !isObject(operation.responses) || !(schemaName in schemas)) {
    throw new Error(`expected GET ${path} and schema ${schemaName}; the spec changed, revisit the fix-up`);
  }
  operation.responses = sortKeys({
    ...operation.responses,
    '200': {
      description: `The ${schemaName} the redirect leads to (fetch follows redirects).`,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
    },
  });
}

/**
 * apps.json writes some string enums as `oneOf: [{ title, x-qlik-const }]` without `const`, which generates a
 * plain `string`; the titles are the values on the wire (`PublishData`: "source" | "target").
 */
function titleOnlyEnumsToEnums(spec: Json): void {
  const schemas = isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  for (const schema of Object.values(schemas)) {
    if (!isObject(schema) || schema.type !== 'string' || !Array.isArray(schema.oneOf) || schema.oneOf.length === 0)
      continue;
    const alternatives = schema.oneOf;
    const titleOnly = alternatives.every(
      (alternative) =>
        isObject(alternative) &&
        typeof alternative.title === 'string' &&
        'x-qlik-const' in alternative &&
        !('const' in alternative) &&
        !('type' in alternative),
    );
    if (!titleOnly) continue;
    schema.enum = alternatives.map((alternative) => (alternative as Json).title);
    delete schema.oneOf;
  }
}

/**
 * automations.json declares the Qlik Automate `workspace` as `type: object` without properties, which
 * generates `Record<string, never>`: no workspace could be sent. It is free-form JSON.
 */
function openAutomationWorkspaces(spec: Json): void {
  const schemas = isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  let found = 0;
  for (const schema of Object.values(schemas)) {
    const workspace = isObject(schema) && isObject(schema.properties) ? schema.properties.workspace : undefined;
    if (!isObject(workspace) || workspace.type !== 'object' || 'properties' in workspace) continue;
    workspace.additionalProperties = true;
    found += 1;
  }
  if (found === 0) throw new Error('automations: expected workspace objects; the spec changed, revisit the fix-up');
}

/** Applies every fix-up for one API (by spec file stem) to a deep copy and returns it, with stable key order. */
export function applyFixups(api: string, original: Json): Json {
  const spec = structuredClone(original);
  stripAuthorizationHeaderParams(spec);
  declareMissingPathParams(spec);
  titleOnlyEnumsToEnums(spec);
  if (api === 'identity-providers') mapIdentityProviderDiscriminators(spec);
  if (api === 'users') typeRedirectedJson(spec, '/api/v1/users/me', 'User');
  if (api === 'tenants') typeRedirectedJson(spec, '/api/v1/tenants/me', 'Tenant');
  if (api === 'automations') openAutomationWorkspaces(spec);
  if (isObject(spec.paths)) spec.paths = sortKeys(spec.paths);
  if (isObject(spec.components)) {
    const components = spec.components;
    for (const [key, value] of Object.entries(components)) if (isObject(value)) components[key] = sortKeys(value);
  }
  return spec;
}

export { operationsOf, isObject };
export type { Json };
