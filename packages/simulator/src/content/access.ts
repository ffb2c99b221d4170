/**
 * How content routes ask the authorization module: the resource of an app, a space or a data connection
 * (its space, or the owner's personal space) and the caller's decision on it; and which space content is in.
 */
import { authorize, may, type AuthAction } from '../auth/authorize.js';
import type { SpaceAction } from '../auth/space-permissions.js';
import type { ContentCall } from './http.js';
import { getSpace } from './spaces.js';
import type { ContentState, SpaceRecord, SpaceType } from './state.js';

/** What is being touched: a space (by id; undefined = the owner's personal space) and its owner. */
export interface Placed {
  spaceId: string | undefined;
  ownerId: string;
}

/**
 * `placed` is in space `spaceId`, or (`spaceId` undefined) in `ownerId`'s personal space: the scope in which
 * a connection's or data file's name must be unique, and the scope of a personal listing.
 */
export function placedIn(placed: Placed, spaceId: string | undefined, ownerId: string): boolean {
  return spaceId === undefined
    ? placed.spaceId === undefined && placed.ownerId === ownerId
    : placed.spaceId === spaceId;
}

/** The authorization resource of content placed in a space (or in its owner's personal space). */
export function placedResource(
  state: ContentState,
  placed: Placed,
): { kind: 'content'; space: SpaceRecord | undefined; ownerId: string } {
  return {
    kind: 'content',
    space: placed.spaceId === undefined ? undefined : getSpace(state, placed.spaceId),
    ownerId: placed.ownerId,
  };
}

/** Throws Qlik's 403 unless the caller may do `action` on `placed`. */
export function allow(call: ContentCall, action: SpaceAction, placed: Placed): void {
  if (call.caller) authorize(call.caller, action, placedResource(call.state, placed));
}

/** The caller may do `action` on `placed` (used to filter lists). */
export function allows(call: ContentCall, action: SpaceAction, placed: Placed): boolean {
  return !call.caller || may(call.caller, action, placedResource(call.state, placed));
}

/** Throws Qlik's 403 unless the caller may create a space of `type`. */
export function allowSpaceCreation(call: ContentCall, type: SpaceType): void {
  if (call.caller) authorize(call.caller, 'space.create' satisfies AuthAction, { kind: 'space-type', type });
}

/** The space itself as a resource (its owner is the space owner). */
export const inSpace = (space: SpaceRecord): Placed => ({ spaceId: space.id, ownerId: space.ownerId });

/** Throws Qlik's 403 unless the caller may do `action` on the app (an app that is gone is left to the caller's 404). */
export function allowOnApp(call: ContentCall, action: SpaceAction, appId: string): void {
  const app = call.state.apps.get(appId);
  if (app) allow(call, action, app);
}

/** The caller may do `action` on the app, or the app is gone (used to filter lists of tasks and runs). */
export function allowsOnApp(call: ContentCall, action: SpaceAction, appId: string): boolean {
  const app = call.state.apps.get(appId);
  return !app || allows(call, action, app);
}
