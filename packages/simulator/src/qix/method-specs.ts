/**
 * The `In` parameters of the methods the simulated engine serves, as in the QIX schema 12.2027.0 that
 * enigma.js ships (same in @qlik/api's 12.2825.0). Positional params are mapped by this order; named
 * params by these names.
 */
export interface ParamSpec {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean' | 'object';
  readonly optional?: boolean;
  readonly defaultValue?: unknown;
}

export type HandleType = 'Global' | 'Doc';

const p = (name: string, type: ParamSpec['type'], defaultValue?: unknown, optional = false): ParamSpec => ({
  name,
  type,
  defaultValue,
  optional,
});

export const METHOD_SPECS: Record<HandleType, Record<string, readonly ParamSpec[]>> = {
  Global: {
    EngineVersion: [],
    OpenDoc: [
      p('qDocName', 'string', ''),
      p('qUserName', 'string', '', true),
      p('qPassword', 'string', '', true),
      p('qSerial', 'string', '', true),
      p('qNoData', 'boolean', false, true),
    ],
    GetActiveDoc: [],
    CreateSessionApp: [],
    GetProgress: [p('qRequestId', 'number', 0)],
    CancelReload: [p('qReason', 'string', '', true)],
  },
  Doc: {
    GetScript: [],
    SetScript: [p('qScript', 'string', '')],
    DoReload: [
      p('qMode', 'number', 0, true),
      p('qPartial', 'boolean', false, true),
      p('qDebug', 'boolean', false, true),
    ],
    DoReloadEx: [p('qParams', 'object', {}, true)],
    DoSave: [p('qFileName', 'string', '', true)],
    GetConnections: [],
    GetConnection: [p('qConnectionId', 'string', '')],
    CreateConnection: [p('qConnection', 'object')],
    ModifyConnection: [
      p('qConnectionId', 'string', ''),
      p('qConnection', 'object'),
      p('qOverrideCredentials', 'boolean', false, true),
    ],
    DeleteConnection: [p('qConnectionId', 'string', '')],
    GetAppProperties: [],
    SetAppProperties: [p('qProp', 'object')],
    GetAllInfos: [],
  },
};
