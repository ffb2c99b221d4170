// The numbers an end user may see: the customer's published app opened through the engine AS that user (an OAuth
// impersonation token, as the product page embeds), so Qlik's section access reduces the data before any number
// is computed. The broker never filters rows itself.
import { isEngineRpcError, isEngineSessionClosedError, withApp } from '@qlik-oem/engine';
import { apiKey } from '@qlik-oem/qlik-cloud';
import type { DemoUser } from './demo-user.js';
import { createImpersonationToken, type ImpersonationTarget } from './impersonation.js';
import type { BrokerConfig } from './options.js';

/** One region the user may see, with its orders and their amount. */
export interface RegionSummary {
  region: string;
  orders: number;
  amount: number;
}

export interface UserSummary {
  tenantHost: string;
  appId: string;
  /** Who the engine computed the numbers for (the token's subject). */
  subject: string;
  regions: RegionSummary[];
  total: { orders: number; amount: number };
}

/** The template's data model: orders with a REGION (the section access reduction field) and an Amount. */
const SUMMARY_CUBE = {
  qInfo: { qType: 'broker-summary' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }],
    qMeasures: [{ qDef: { qDef: 'Count(OrderID)' } }, { qDef: { qDef: 'Sum(Amount)' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 1000 }],
  },
};

/** Section access refused the user: Qlik's "Access denied" (QIX error 5, or close code 4203 at the socket). */
export function isAccessDenied(error: unknown): boolean {
  return (
    (isEngineRpcError(error) && error.code === 5) || (isEngineSessionClosedError(error) && error.closeCode === 4203)
  );
}

export async function summaryFor(
  config: BrokerConfig,
  target: ImpersonationTarget & { appId: string },
  user: DemoUser,
  signal?: AbortSignal,
): Promise<UserSummary> {
  const { accessToken } = await createImpersonationToken(config, target, user, {
    check: false,
    ...(signal ? { signal } : {}),
  });
  // The environment's engine options (its socket factory), authenticated as the user instead of the bot.
  const asUser = { ...config.env.engine.options(target.tenantHost), auth: apiKey(accessToken) };
  return withApp(asUser, target.appId, async (doc) => {
    const object = await doc.createSessionObject(SUMMARY_CUBE as never);
    const cube = (await object.getLayout()).qHyperCube!;
    const regions = (cube.qDataPages?.[0]?.qMatrix ?? []).map(([region, orders, amount]) => ({
      region: region?.qText ?? '',
      orders: orders?.qNum ?? 0,
      amount: amount?.qNum ?? 0,
    }));
    regions.sort((a, b) => a.region.localeCompare(b.region));
    const [orders, amount] = (cube.qGrandTotalRow ?? []).map((cell) => cell.qNum ?? 0);
    return {
      tenantHost: target.tenantHost,
      appId: target.appId,
      subject: user.id,
      regions,
      total: { orders: orders ?? 0, amount: amount ?? 0 },
    };
  });
}
