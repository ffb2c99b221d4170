/**
 * QIX types for plain enigma.js objects, built from the generated QIX types of `@qlik/api` (type-only).
 * `@qlik/api`'s own `Doc` also lists its client-side mixins, which plain enigma objects do not have.
 */
import type {
  AnyGenericObjectLayout,
  AnyGenericObjectProperties,
  NativeDocFunctions,
  NativeFieldFunctions,
  NativeGenericBookmarkFunctions,
  NativeGenericDimensionFunctions,
  NativeGenericMeasureFunctions,
  NativeGenericObjectFunctions,
  NativeGenericVariableFunctions,
  NativeGlobalFunctions,
} from '@qlik/api/qix';

export type {
  Connection,
  DoReloadExParams,
  DoReloadExResult,
  ErrorData,
  NxAppProperties,
  NxInfo,
  ProgressData,
  ReloadError,
} from '@qlik/api/qix';

/** What every enigma.js generated API object has. */
export interface EngineObject {
  readonly id: string;
  readonly type: string;
  readonly genericType?: string;
  readonly handle: number;
  on(event: 'changed' | 'closed', listener: () => void): void;
  once(event: 'changed' | 'closed', listener: () => void): void;
  removeListener(event: 'changed' | 'closed', listener: () => void): void;
}

export interface EngineGenericObject
  extends
    EngineObject,
    NativeGenericObjectFunctions<AnyGenericObjectProperties, AnyGenericObjectLayout, EngineGenericObject> {}

/** An app (QIX `Doc`) opened through enigma.js. */
export type EngineDoc = EngineObject &
  NativeDocFunctions<
    EngineObject & NativeFieldFunctions,
    EngineObject & NativeGenericBookmarkFunctions,
    EngineObject & NativeGenericDimensionFunctions,
    EngineObject & NativeGenericMeasureFunctions,
    EngineGenericObject,
    EngineObject & NativeGenericVariableFunctions,
    AnyGenericObjectProperties
  >;

/** The QIX `Global` object (handle -1). */
export type EngineGlobal = EngineObject & NativeGlobalFunctions<EngineDoc>;
