/** Preact hooks over the client: a query, a live subscription, a ticking clock for elapsed times. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TypedDocumentString } from '../gql/graphql.js';
import { auth } from './auth.js';
import { execute, RequestError, subscribe } from './client.js';

export interface QueryState<R> {
  data: R | null;
  error: RequestError | null;
  loading: boolean;
}

/** Runs the query whenever `key` changes (and after a new token); the latest answer wins. */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V, key: string): QueryState<R> & { reload(): void } {
  const [state, setState] = useState<QueryState<R>>({ data: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  const tokenRound = useTokenRound();
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    execute(document, variables, { signal: controller.signal }).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ data: previous.data, error: asRequestError(error), loading: false }));
      },
    );
    return () => controller.abort();
    // `key` stands for the variables.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round, tokenRound]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}

export interface LiveState<R> {
  data: R | null;
  error: RequestError | null;
  /** The server completed the subscription: the work reached a final state. */
  done: boolean;
}

/** Follows a subscription (current state first, then every change) while the component shows; `null` key: none. */
export function useLive<R, V>(document: TypedDocumentString<R, V>, variables: V, key: string | null): LiveState<R> {
  const [state, setState] = useState<LiveState<R>>({ data: null, error: null, done: false });
  const tokenRound = useTokenRound();
  useEffect(() => {
    if (key === null) return;
    setState((previous) => ({ ...previous, error: null, done: false }));
    return subscribe(document, variables, {
      next: (data) => setState({ data, error: null, done: false }),
      error: (error) => setState((previous) => ({ ...previous, error })),
      complete: () => setState((previous) => ({ ...previous, done: true })),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tokenRound]);
  return state;
}

/** Counts token changes, so queries and subscriptions run again once the person signs in. */
function useTokenRound(): number {
  const [round, setRound] = useState(0);
  const token = useRef(auth.token);
  useEffect(
    () =>
      auth.subscribe(() => {
        if (auth.token !== token.current) {
          token.current = auth.token;
          setRound((r) => r + 1);
        }
      }),
    [],
  );
  return round;
}

/** The time now, updated every second while `active`, for elapsed times of running work. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function asRequestError(error: unknown): RequestError {
  if (error instanceof RequestError) return error;
  return new RequestError(error instanceof Error ? error.message : String(error), 'GRAPHQL');
}
