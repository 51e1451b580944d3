import type { z } from 'zod';

/** zod issues as one line that names each wrong field, e.g. `volumes[0].mountPoint: a drive letter such as C:`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
