export { createQixEngine, parseEnginePath, type QixEngine, type QixEngineOptions } from './engine.js';
export { QixErrorCode } from './errors.js';
// The engine's backend contract (types.ts) is exported whole: every backend, the simulator's or another, implements it.
export * from './types.js';
export { MemoryQixBackend, type MemoryApp, type MemoryBackendInit } from './memory-backend.js';
export { ContentQixBackend } from './backend.js';
export { createQixPlugin, ENGINE_RELOAD_SIM_MS, type QixPluginOptions } from './plugin.js';
export type { Cell, Dual, LoadedColumn, LoadedData, LoadedTable } from '../engine/table.js';
