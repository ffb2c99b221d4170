// A fake resource API for the runner's tests: tenants, spaces and groups in memory or in a JSON-lines file, with
// read and write counters and a hook before each write (to fail or stop a step).
import { randomUUID } from 'node:crypto';
import { JsonLinesFile } from '../../src/journal/json-lines-file.js';

/** A resource in the fake store: stands in for a tenant, space or group. */
export interface Resource {
  id: string;
  kind: string;
  name: string;
  parentId?: string;
  props: Record<string, unknown>;
}

/** The store the test recipes provision into. Counts every write so tests can assert "wrote nothing". */
export interface ResourceStore {
  list(kind: string): Promise<Resource[]>;
  create(kind: string, data: { name: string; parentId?: string; props?: Record<string, unknown> }): Promise<Resource>;
  update(id: string, props: Record<string, unknown>): Promise<Resource>;
}

export class MemoryResourceStore implements ResourceStore {
  readonly resources = new Map<string, Resource>();
  writes = 0;
  reads = 0;
  /** Called before every write; throw from it to inject a fault. */
  beforeWrite: ((op: 'create' | 'update', kind: string) => void | Promise<void>) | undefined;

  async list(kind: string): Promise<Resource[]> {
    this.reads++;
    return [...this.resources.values()]
      .filter((resource) => resource.kind === kind)
      .map((resource) => structuredClone(resource));
  }

  async create(
    kind: string,
    data: { name: string; parentId?: string; props?: Record<string, unknown> },
  ): Promise<Resource> {
    await this.beforeWrite?.('create', kind);
    this.writes++;
    const resource: Resource = { id: randomUUID(), kind, name: data.name, props: data.props ?? {} };
    if (data.parentId !== undefined) resource.parentId = data.parentId;
    this.resources.set(resource.id, resource);
    return structuredClone(resource);
  }

  async update(id: string, props: Record<string, unknown>): Promise<Resource> {
    const existing = this.resources.get(id);
    if (!existing) throw new Error(`no resource ${id}`);
    await this.beforeWrite?.('update', existing.kind);
    this.writes++;
    existing.props = { ...existing.props, ...props };
    return structuredClone(existing);
  }

  count(kind: string): number {
    return [...this.resources.values()].filter((resource) => resource.kind === kind).length;
  }
}

type StoreRecord = { op: 'create'; resource: Resource } | { op: 'update'; id: string; props: Record<string, unknown> };

/** The same store persisted as fsync'd JSON lines, so a child process can be killed in the middle of it. */
export class FileResourceStore implements ResourceStore {
  readonly #file: JsonLinesFile;

  constructor(path: string) {
    this.#file = new JsonLinesFile(path);
  }

  async list(kind: string): Promise<Resource[]> {
    return [...(await this.#state()).values()].filter((resource) => resource.kind === kind);
  }

  async create(
    kind: string,
    data: { name: string; parentId?: string; props?: Record<string, unknown> },
  ): Promise<Resource> {
    const resource: Resource = { id: randomUUID(), kind, name: data.name, props: data.props ?? {} };
    if (data.parentId !== undefined) resource.parentId = data.parentId;
    await this.#file.append({ op: 'create', resource } satisfies StoreRecord);
    return resource;
  }

  async update(id: string, props: Record<string, unknown>): Promise<Resource> {
    await this.#file.append({ op: 'update', id, props } satisfies StoreRecord);
    const resource = (await this.#state()).get(id);
    if (!resource) throw new Error(`no resource ${id}`);
    return resource;
  }

  async #state(): Promise<Map<string, Resource>> {
    const state = new Map<string, Resource>();
    for (const record of (await this.#file.readAll()) as StoreRecord[]) {
      if (record.op === 'create') state.set(record.resource.id, record.resource);
      else {
        const existing = state.get(record.id);
        if (existing) existing.props = { ...existing.props, ...record.props };
      }
    }
    return state;
  }
}
