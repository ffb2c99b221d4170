import type { components } from './generated/qrs.js';

export type QrsApp = components['schemas']['App'];
export type QrsStream = components['schemas']['Stream'];
export type QrsCustomPropertyDefinition = components['schemas']['CustomPropertyDefinition'];
export type QrsCustomPropertyValue = components['schemas']['CustomPropertyValue'];
export type QrsSystemRule = components['schemas']['SystemRule'];
export type QrsExecutionResult = components['schemas']['ExecutionResult'];
export type QrsAppExportResponse = components['schemas']['AppExportResponse'];
export type QrsAbout = components['schemas']['About'];
