/** Thrown (internally) when a step reads the outputs of a step that has not produced any yet. */
export class MissingStepOutputs extends Error {
  override name = 'MissingStepOutputs';
  constructor(readonly dependsOn: string) {
    super(`outputs of step "${dependsOn}" are not available yet`);
  }
}

/**
 * The `ctx.outputs` object: a read-only view of earlier steps' outputs that throws
 * `MissingStepOutputs` for a step of this recipe that has not produced outputs. That is how `plan`
 * learns a step "depends on" an earlier one without the step declaring it.
 */
export function createOutputsView(
  available: Readonly<Record<string, unknown>>,
  stepNames: ReadonlySet<string>,
): object {
  return new Proxy(available, {
    get(target, property, receiver) {
      if (typeof property === 'string' && stepNames.has(property) && !Object.hasOwn(target, property)) {
        throw new MissingStepOutputs(property);
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
    set() {
      throw new TypeError('ctx.outputs is read-only; return outputs from apply() instead');
    },
  });
}
