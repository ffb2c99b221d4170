// The type of a typed OpenAPI client (qlik-cloud's per-API clients, qrs's `api`): openapi-fetch's calling
// convention (`GET(path, { params, body, parseAs })` answering `{ data, error, response }`) declared with a few
// flat conditional types, so a partner's type-check resolves one operation per call and nothing more.
// openapi-fetch's own `Client` walks every request and response body (its readOnly/writeOnly markers,
// which openapi-typescript does not emit here) and costs several times as much to check per call.

/** The HTTP methods a typed client offers. */
export type ApiMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The response statuses whose body is `data`; every other declared status is `error`. */
export type ApiSuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | '2XX';

/** How the response body is read: `json` (default) or the raw `text`, `blob`, `arrayBuffer` or `stream`. */
export type ApiParseAs = 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';

/** The paths of `Paths` that have an operation for `Method`. */
export type ApiPathsWith<Paths, Method extends ApiMethod> = {
  [Path in keyof Paths]: Paths[Path] extends Record<Method, object> ? Path : never;
}[keyof Paths];

/** The operation object of `Method` on `Path`. */
export type ApiOperation<Paths, Path extends keyof Paths, Method extends ApiMethod> =
  Paths[Path] extends Record<Method, infer Operation> ? Operation : never;

/** The keys of `T` a value must have. */
export type ApiRequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];

/** The body of a request or response message: the union of its media types' schemas. */
export type ApiContent<Message> = Message extends { content: infer Content }
  ? Content extends object
    ? Content[keyof Content]
    : undefined
  : undefined;

/** The `responses` map of an operation. */
export type ApiResponses<Operation> = Operation extends { responses: infer Responses } ? Responses : never;

/**
 * The body of the operation's success responses (JSON unless `parseAs` says otherwise): one indexed access
 * with the success statuses (`ApiContent` distributes over them), not a mapped type over the statuses.
 */
export type ApiData<Operation> = ApiContent<ApiResponses<Operation>[keyof ApiResponses<Operation> & ApiSuccessStatus]>;

/** The body of the operation's declared error responses (computed only when `error` is read). */
export type ApiError<Operation> = ApiContent<
  ApiResponses<Operation>[Exclude<keyof ApiResponses<Operation>, ApiSuccessStatus>]
>;

/**
 * Options every call takes besides its parameters and body (openapi-fetch's request options). Written out rather
 * than `Omit<RequestInit, …>`: @types/node declares `RequestInit` through a conditional type over
 * `typeof globalThis`, which a partner's type-check would resolve on its first call (`bench/types`); fetch's other
 * `RequestInit` members (`cache`, `keepalive`, …) pass as `ApiCallOptions`' other options.
 */
export interface ApiRequestOptions {
  /** Aborts the call, its retries and its waits. */
  signal?: AbortSignal | null;
  /** A record or a `Headers` (openapi-fetch merges those two forms; `[name, value]` pairs it would not read). */
  headers?: Headers | Record<string, string | number | boolean | null | undefined>;
  /** Read the body as text, a Blob, an ArrayBuffer or the raw stream instead of JSON. */
  parseAs?: ApiParseAs;
  baseUrl?: string;
  querySerializer?: ((query: Record<string, unknown>) => string) | Record<string, unknown>;
  bodySerializer?: (body: unknown) => unknown;
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * The options of one call: `parseAs` as given (it picks `data`'s type) and any other option openapi-fetch
 * passes on. One interface per `parseAs`, so TypeScript builds it once per program, not once per call.
 */
export interface ApiCallOptions<As extends ApiParseAs = ApiParseAs> extends ApiRequestOptions {
  parseAs?: As;
  [option: string]: unknown;
}

/** `params` of a call: required when the operation has a required parameter (`{}` is not a valid `params`). */
export type ApiParams<Operation> = Operation extends { parameters: infer Parameters }
  ? Record<never, never> extends Parameters
    ? { params?: Parameters }
    : { params: Parameters }
  : { params?: never };

/** `body` of a call: required when the operation's request body is. */
export type ApiBody<Operation> = Operation extends { requestBody: infer Body }
  ? { body: ApiContent<Body> }
  : Operation extends { requestBody?: infer Body }
    ? [NonNullable<Body>] extends [never]
      ? { body?: never }
      : { body?: ApiContent<NonNullable<Body>> }
    : { body?: never };

/** The second argument of a call: its parameters (`params.path`, `params.query`, …), its body and options. */
export type ApiInit<Operation> = ApiParams<Operation> & ApiBody<Operation> & ApiRequestOptions;

/**
 * The second argument of a call whose body is read as JSON (no `parseAs`, or `'json'`): what a codegen's
 * per-path overloads take, one concrete type per operation, so such a call type-checks without inference.
 */
export type ApiJsonInit<Operation> = ApiParams<Operation> & ApiBody<Operation> & ApiCallOptions<'json'>;

/** The type of `data` after `parseAs`. */
export type ApiParsedAs<Data, As extends ApiParseAs> = As extends 'json'
  ? Data
  : As extends 'text'
    ? string
    : As extends 'blob'
      ? Blob
      : As extends 'arrayBuffer'
        ? ArrayBuffer
        : Response['body'];

/** What a call answers: `data` for a success status, `error` for any other, and the `response` always. */
export type ApiResult<Operation, As extends ApiParseAs = 'json'> =
  | { data: ApiParsedAs<ApiData<Operation>, As>; error?: never; response: Response }
  | { data?: never; error: ApiError<Operation>; response: Response };

/** Whether a call must pass `init`: its operation has a required request body or a required parameter. */
export type ApiInitRequired<Operation> = Operation extends { requestBody: object }
  ? true
  : Operation extends { parameters: infer Parameters }
    ? Record<never, never> extends Parameters
      ? false
      : true
    : false;

/**
 * The arguments after the path: `init` is optional when nothing in it is required. Required-ness is one
 * assignability check per operation (`ApiInitRequired`), not a mapped type over the intersection's keys: a
 * partner's type-check resolves this for every call.
 */
export type ApiArgs<Operation, As extends ApiParseAs> =
  ApiInitRequired<Operation> extends true
    ? [init: ApiParams<Operation> & ApiBody<Operation> & ApiCallOptions<As>]
    : [init?: ApiParams<Operation> & ApiBody<Operation> & ApiCallOptions<As>];

/**
 * One method of a typed client, e.g. `GET`: the path template (which picks the operation), then its `init`.
 * An interface with one call signature, so that a codegen's per-path calls can extend it: an interface's call
 * signatures come before those it inherits, in the order of its `extends` list.
 */
export interface ApiCall<Paths, Method extends ApiMethod> {
  <Path extends ApiPathsWith<Paths, Method>, As extends ApiParseAs = 'json'>(
    path: Path,
    ...init: ApiArgs<ApiOperation<Paths, Path, Method>, As>
  ): Promise<ApiResult<ApiOperation<Paths, Path, Method>, As>>;
}

/**
 * The JSON call of one path whose `init` is optional, without inference: a codegen lists one per operation before
 * `ApiCall` (qlik-cloud's per-API clients), so a partner's call resolves to a concrete signature; another
 * `parseAs`, a path typed as a union and a wrong call (and so its error) go on to `ApiCall`'s generic signature.
 * The operation is an indexed access, not `ApiOperation`'s conditional type: one is resolved for every call.
 */
export interface ApiJsonCall<Paths, Path extends keyof Paths, Method extends ApiMethod> {
  (
    path: Path,
    init?: ApiJsonInit<Paths[Path][Method & keyof Paths[Path]]>,
  ): Promise<ApiResult<Paths[Path][Method & keyof Paths[Path]]>>;
}

/** `ApiJsonCall` of a path whose `init` is required (`ApiInitRequired`). */
export interface ApiJsonCallWithInit<Paths, Path extends keyof Paths, Method extends ApiMethod> {
  (
    path: Path,
    init: ApiJsonInit<Paths[Path][Method & keyof Paths[Path]]>,
  ): Promise<ApiResult<Paths[Path][Method & keyof Paths[Path]]>>;
}

// Short names for the codegen, which writes one per operation (the shortest for the commoner required `init`).
/** `ApiJsonCallWithInit` of a `GET`. */
export type ApiGet<Paths, Path extends keyof Paths> = ApiJsonCallWithInit<Paths, Path, 'get'>;
/** `ApiJsonCall` of a `GET`. */
export type ApiGetInitOptional<Paths, Path extends keyof Paths> = ApiJsonCall<Paths, Path, 'get'>;
/** `ApiJsonCallWithInit` of a `PUT`. */
export type ApiPut<Paths, Path extends keyof Paths> = ApiJsonCallWithInit<Paths, Path, 'put'>;
/** `ApiJsonCall` of a `PUT`. */
export type ApiPutInitOptional<Paths, Path extends keyof Paths> = ApiJsonCall<Paths, Path, 'put'>;
/** `ApiJsonCallWithInit` of a `POST`. */
export type ApiPost<Paths, Path extends keyof Paths> = ApiJsonCallWithInit<Paths, Path, 'post'>;
/** `ApiJsonCall` of a `POST`. */
export type ApiPostInitOptional<Paths, Path extends keyof Paths> = ApiJsonCall<Paths, Path, 'post'>;
/** `ApiJsonCallWithInit` of a `DELETE`. */
export type ApiDelete<Paths, Path extends keyof Paths> = ApiJsonCallWithInit<Paths, Path, 'delete'>;
/** `ApiJsonCall` of a `DELETE`. */
export type ApiDeleteInitOptional<Paths, Path extends keyof Paths> = ApiJsonCall<Paths, Path, 'delete'>;
/** `ApiJsonCallWithInit` of a `PATCH`. */
export type ApiPatch<Paths, Path extends keyof Paths> = ApiJsonCallWithInit<Paths, Path, 'patch'>;
/** `ApiJsonCall` of a `PATCH`. */
export type ApiPatchInitOptional<Paths, Path extends keyof Paths> = ApiJsonCall<Paths, Path, 'patch'>;

/** The methods of a client over `Paths`: `ApiCall`, or a codegen's per-path calls before it (`ApiClient`). */
export interface ApiMethods<Paths> {
  GET: ApiCall<Paths, 'get'>;
  PUT: ApiCall<Paths, 'put'>;
  POST: ApiCall<Paths, 'post'>;
  DELETE: ApiCall<Paths, 'delete'>;
  PATCH: ApiCall<Paths, 'patch'>;
}

/**
 * A typed client over the `paths` of one OpenAPI document: `GET`, `POST`, `PUT`, `PATCH` and `DELETE` take a
 * path template of that method and its `{ params, body, ...options }`, and answer `{ data, error, response }`.
 * `Methods` are a codegen's per-path calls (qlik-cloud's `SpacesClient` is `ApiClient<paths, …>`): every such
 * client is an `ApiClient<Paths>`, and a function over `ApiClient<Paths>` infers `Paths` from it.
 */
export interface ApiClient<Paths, Methods extends ApiMethods<Paths> = ApiMethods<Paths>> {
  GET: Methods['GET'];
  PUT: Methods['PUT'];
  POST: Methods['POST'];
  DELETE: Methods['DELETE'];
  PATCH: Methods['PATCH'];
}
