import type { ModuleData, ModuleFunctionName, ModuleRequest } from '../../main/powershell/module-api';
import type { PowerShellSession } from '../../main/powershell/session';

type Answers = { [F in ModuleFunctionName]?: (request: ModuleRequest<F>) => ModuleData<F> | Promise<ModuleData<F>> };

/**
 * A session whose module answers are scripted by the test, for main's rules at the module boundary; every call
 * is recorded so a test can assert the exact module calls made. An unscripted call fails the test.
 */
export function scriptedModule(answers: Answers) {
  const calls: { fn: ModuleFunctionName; request: unknown }[] = [];
  const session = {
    state: 'ready',
    async call(fn: ModuleFunctionName, request: unknown) {
      calls.push({ fn, request });
      const answer = answers[fn] as ((r: unknown) => unknown) | undefined;
      if (!answer) throw new Error(`unscripted module call ${fn}`);
      return answer(request);
    },
  } as unknown as PowerShellSession;
  return { session, calls };
}
