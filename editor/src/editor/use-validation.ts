import { useEffect, useRef, useState } from 'react';
import { api, unwrap, yamlBody } from '../api/client.ts';
import type { Issue } from '../model/issues.ts';

/**
 * The engine's validation of the YAML as it is typed or drawn (debounced), so errors are the
 * engine's own, with their lines, and can be shown on the nodes they belong to.
 */
export function useValidation(
  text: string,
  delayMs = 300,
): { issues: Issue[]; checking: boolean; failed: string | null } {
  const [issues, setIssues] = useState<Issue[]>([]);
  const [checking, setChecking] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    if (text.trim() === '') {
      setIssues([]);
      return;
    }
    const mine = ++seq.current;
    // Marked as checking only once the request goes out: typing does not re-render the page.
    const timer = setTimeout(() => {
      setChecking(true);
      unwrap(api.workflows.validate.$post({}, yamlBody(text))).then(
        (r) => {
          if (mine !== seq.current) return;
          setIssues(r.errors as Issue[]);
          setFailed(null);
          setChecking(false);
        },
        (error: Error) => {
          if (mine !== seq.current) return;
          setFailed(error.message);
          setChecking(false);
        },
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs]);

  return { issues, checking, failed };
}
