/**
 * Hash routes (`#/analyses/<id>`): every view has a link that can be shared or reloaded, and the gateway serves the
 * one index.html for all of them without knowing the app's routes.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'analyse' }
  | { view: 'analysis'; id: string }
  | { view: 'new-job' }
  | { view: 'job'; id: string }
  | { view: 'measure-images' }
  | { view: 'run'; id: string }
  | { view: 'task'; id: string }
  | { view: 'list'; kind: ListKind }
  | { view: 'not-found'; path: string };

export type ListKind = 'analyses' | 'jobs' | 'tasks' | 'runs';
const LISTS: ListKind[] = ['analyses', 'jobs', 'tasks', 'runs'];
const DETAIL: Record<string, 'analysis' | 'job' | 'run' | 'task'> = { analyses: 'analysis', jobs: 'job', runs: 'run', tasks: 'task' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'analyse')) return { view: 'analyse' };
  if (parts.length === 2 && parts[0] === 'jobs' && parts[1] === 'new') return { view: 'new-job' };
  if (parts.length === 2 && parts[0] === 'runs' && parts[1] === 'measure-images') return { view: 'measure-images' };
  if (parts.length === 1 && LISTS.includes(parts[0] as ListKind)) return { view: 'list', kind: parts[0] as ListKind };
  const detail = DETAIL[parts[0] ?? ''];
  if (parts.length === 2 && detail) return { view: detail, id: parts[1]! };
  return { view: 'not-found', path };
}

export const href = {
  analyse: () => '#/analyse',
  analysis: (id: string) => `#/analyses/${encodeURIComponent(id)}`,
  job: (id: string) => `#/jobs/${encodeURIComponent(id)}`,
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  task: (id: string) => `#/tasks/${encodeURIComponent(id)}`,
  list: (kind: ListKind) => `#/${kind}`,
  newJob: () => '#/jobs/new',
  measureImages: () => '#/runs/measure-images',
};

export function navigate(to: string): void {
  location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
