/**
 * The op registry (issue 26): a step is data, `op` + JSON `params`, and the
 * code that runs it is registered here by name, so a job (execute/types.ts)
 * can run in any process that imported the same ops. An op's run reads only
 * its params, its args (unhashed; see StepJob.args), its input artifacts by
 * name, the files the step lists and the secrets its executor hands it.
 *
 * The engine knows no op: graph/ops/ registers the drama's ops when imported.
 */
import type { Json, StepContext } from "./step.js";

export interface Op {
  readonly name: string;
  run(params: Json, io: StepContext, args: Json | undefined): Promise<void>;
}

const ops = new Map<string, Op>();

export function registerOp(op: Op): void {
  const known = ops.get(op.name);
  if (known && known !== op) throw new Error(`op ${op.name} is registered twice`);
  ops.set(op.name, op);
}

export function opNamed(name: string): Op | undefined {
  return ops.get(name);
}
