/**
 * The plugins every GraphQL operation runs through, on every transport: yoga's envelop pipeline serves HTTP and SSE
 * directly, and the WebSocket transport runs the same pipeline through `yoga.getEnveloped` (subscriptions/ws.ts).
 * A rule added here (limits, metrics, logs, masking, shared subscriptions) therefore holds everywhere.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type SelectionSetNode,
  type ValueNode,
  type ValidationContext,
  type ASTVisitor,
} from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import type { GatewayMetrics } from './metrics.js';
import type { Logger } from './logger.js';
import type { SubscriptionHub } from './subscriptions/hub.js';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** List items an operation may ask for in all (the sum of every `first`/`last`, a page of 100 when absent). */
  maxRequestedItems: number;
  /** Distinct ids an operation may make the gateway look up at providers. */
  maxDistinctIds: number;
  /** Characters of query text, refused before parsing (and before yoga's parse cache keeps text and document). */
  maxQueryLength: number;
}

export const defaultLimits: OperationLimits = {
  maxDepth: 16,
  maxAliases: 20,
  maxDirectives: 20,
  maxTokens: 5_000,
  maxCost: 10_000,
  maxRequestedItems: 10_000,
  maxDistinctIds: 200,
  maxQueryLength: 100_000,
};

/** A refusal of the operation limits: one code for all of them, so clients tell it from a mistake in the query. */
function tooLarge(message: string, limit: number): GraphQLError {
  return new GraphQLError(message.replace(/^Syntax Error: /, ''), { extensions: { code: 'QUERY_TOO_LARGE', limit } });
}

/**
 * Depth, aliases, directives and tokens (graphql-armor), refused before anything runs, with QUERY_TOO_LARGE rather
 * than armor's "Syntax Error:" (the query is well formed, only too large). The cost is the gateway's own rule below.
 */
export function useOperationLimits(limits: OperationLimits, production: boolean): Plugin<GatewayContext> {
  // Validation rules report to the context; the token limit runs inside the parser, which only a throw leaves.
  const reported = (limit: number) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(tooLarge(error.message, limit))],
  });
  const armor = EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reported(limits.maxDepth) },
      maxAliases: { n: limits.maxAliases, ...reported(limits.maxAliases) },
      maxDirectives: { n: limits.maxDirectives, ...reported(limits.maxDirectives) },
      maxTokens: {
        n: limits.maxTokens,
        exposeLimits: true,
        propagateOnRejection: false,
        onReject: [
          (_context: unknown, error: GraphQLError) => {
            throw tooLarge(error.message, limits.maxTokens);
          },
        ],
      },
      costLimit: { enabled: false },
      // Suggestions ("did you mean ...") describe the schema to whoever probes it; off where introspection is off.
      blockFieldSuggestion: { enabled: production },
  }) as Plugin<GatewayContext>;
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useQueryLength(limits.maxQueryLength));
      addPlugin(armor);
      addPlugin(useOperationCost(limits.maxCost));
    },
  };
}

/**
 * Query text past `limit` characters is refused before it is parsed. yoga's parse cache keeps the text (as the key)
 * and its document, or its parse error, for its last 1,000 distinct queries: without this bound, distinct queries
 * each carrying a megabyte-long string (one token) would hold gigabytes there. Runs before that cache (user
 * plugins come first in yoga), so nothing of a refused query is kept.
 */
function useQueryLength(limit: number): Plugin<GatewayContext> {
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (source.length > limit) throw tooLarge(`The query text is longer than ${limit} characters; send large values as variables.`, limit);
    },
  };
}

/**
 * The cost of an operation: the fields it selects once every fragment is spread where it is used, so a small
 * document whose fragments spread each other many times (a fragment bomb) is refused before it runs. Hand-written
 * rather than armor's cost, because armor multiplies by `first` only when it is a literal (a variable escapes it)
 * and grows by 1.5 per level: list sizes are bounded by the requested-items limit instead, the same for literals
 * and variables. Each fragment's cost is computed once, so the check is linear in the document.
 */
export function operationCost(document: DocumentNode, limit: number): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const fragmentCost = new Map<string, number>();
  const costOf = (set: SelectionSetNode): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) cost += 1 + (selection.selectionSet ? costOf(selection.selectionSet) : 0);
      else if (selection.kind === Kind.INLINE_FRAGMENT) cost += costOf(selection.selectionSet);
      else {
        const name = selection.name.value;
        let known = fragmentCost.get(name);
        if (known === undefined) {
          // A cycle (refused by validation anyway) counts as over the limit rather than recursing for ever.
          fragmentCost.set(name, limit + 1);
          const fragment = fragments.get(name);
          known = fragment ? costOf(fragment) : 0;
          fragmentCost.set(name, known);
        }
        cost += known;
      }
      if (cost > limit) return cost;
    }
    return cost;
  };
  let total = 0;
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) total = Math.max(total, costOf(definition.selectionSet));
  return total;
}

function useOperationCost(limit: number): Plugin<GatewayContext> {
  const rule = (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const cost = operationCost(document, limit);
      if (cost > limit) context.reportError(tooLarge(`Query cost limit of ${limit} exceeded: the operation selects ${cost} fields once its fragments are spread.`, limit));
      return false;
    },
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
/** Introspection off (production, unless GRAPHQL_INTROSPECTION=on); `_service { sdl }` stays for the router. */
export function useNoIntrospection(): Plugin<GatewayContext> {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

const DEFAULT_PAGE = 100;

function numberOf(value: ValueNode | undefined, variables: Record<string, unknown> | null | undefined): number | null {
  if (!value) return null;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const bound = variables?.[value.name.value];
    return typeof bound === 'number' ? bound : null;
  }
  return null;
}

/**
 * Items an operation asks for: every field with `first`/`last` counts that many (connections without either count
 * a default page). Aliases count each time, fragments as often as they are spread. A static bound on the work an
 * operation can cause, checked before it runs (armor's cost does not know list sizes).
 */
export function requestedItems(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, limit: number): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  let total = 0;
  const visit = (set: SelectionSetNode, depth: number) => {
    if (depth > 64 || total > limit) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += itemsOf(selection, variables);
      const child = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection.selectionSet;
      if (child) visit(child, depth + 1);
    }
  };
  visit(operation.selectionSet, 0);
  return total;
}

function itemsOf(field: FieldNode, variables: Record<string, unknown> | null | undefined): number {
  const arg = (name: string) => field.arguments?.find((a) => a.name.value === name)?.value;
  const first = numberOf(arg('first'), variables);
  const last = numberOf(arg('last'), variables);
  if (first !== null || last !== null) return Math.max(first ?? 0, last ?? 0);
  // A connection asked for without a size gets the default page.
  const isConnection = field.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === 'edges' || s.name.value === 'nodes'));
  return isConnection ? DEFAULT_PAGE : 0;
}

/**
 * Representations an operation hands `_entities` (federation), literal or in variables, summed over every
 * `_entities` field: each is a lookup at a provider, so past the distinct-ids limit the operation is refused before
 * it runs rather than with one error per representation past the cap (src/loaders.ts).
 */
export function entityRepresentations(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'query') return 0;
  let total = 0;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') continue;
    const value = selection.arguments?.find((a) => a.name.value === 'representations')?.value;
    if (value?.kind === Kind.LIST) total += value.values.length;
    else if (value?.kind === Kind.VARIABLE) {
      const bound = variables?.[value.name.value];
      total += Array.isArray(bound) ? bound.length : bound == null ? 0 : 1;
    }
  }
  return total;
}

/** The limits that need the variables, so they run when an operation is about to execute or subscribe. */
function executionLimitError(args: ExecutionArgs, limits: Pick<OperationLimits, 'maxRequestedItems' | 'maxDistinctIds'>): GraphQLError | null {
  const variables = args.variableValues as Record<string, unknown> | null | undefined;
  const requested = requestedItems(args.document, args.operationName, variables, limits.maxRequestedItems);
  if (requested > limits.maxRequestedItems)
    return new GraphQLError(`The operation asks for more than ${limits.maxRequestedItems} list items in all (every first/last summed); ask for fewer, or page.`, {
      extensions: { code: 'QUERY_TOO_LARGE', limit: limits.maxRequestedItems },
    });
  const representations = entityRepresentations(args.document, args.operationName, variables);
  if (representations > limits.maxDistinctIds)
    return new GraphQLError(`The operation passes ${representations} representations to _entities, more than the ${limits.maxDistinctIds} ids one operation may look up; split it into several.`, {
      extensions: { code: 'QUERY_TOO_LARGE', limit: limits.maxDistinctIds },
    });
  return null;
}

/** Requested items and `_entities` representations, checked before a query, mutation or subscription runs. */
export function useExecutionLimits(limits: Pick<OperationLimits, 'maxRequestedItems' | 'maxDistinctIds'>): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = executionLimitError(args, limits);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    // Subscriptions do not pass onExecute: the same check, before the shared-subscription hub sees them.
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = executionLimitError(args, limits);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/** Operation names become metric labels: capped in length and count, so callers cannot grow /metrics without bound. */
const MAX_NAME_LENGTH = 64;
const MAX_NAMES = 500;

/**
 * Metrics and one structured log line per operation, with the request id (also sent to providers). A single
 * onExecute hook, because each such hook costs every request a wrapped execution.
 */
export function useOperationObserver(metrics: GatewayMetrics, logger: Logger): Plugin<GatewayContext> {
  const logging = logger.enabled('info');
  const known = new Set<string>();
  const labelOf = (name: string) => {
    const short = name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}...` : name;
    if (known.has(short)) return short;
    if (known.size >= MAX_NAMES) return 'other';
    known.add(short);
    return short;
  };
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && Array.isArray(result.errors) ? result.errors.length : 0;
          const operation = getOperationAST(args.document, args.operationName);
          const name = operation?.name?.value ?? args.operationName ?? 'anonymous';
          const durationMs = performance.now() - started;
          metrics.recordOperation(operation?.operation ?? 'unknown', labelOf(name), errors > 0, durationMs / 1000);
          if (logging)
            logger.info('graphql operation', {
              requestId: args.contextValue.requestId,
              tenant: args.contextValue.viewer.tenant,
              operation: name.slice(0, 200),
              durationMs: Math.round(durationMs),
              errors,
            });
        },
      };
    },
    onSubscribe({ args }) {
      metrics.recordSubscription(labelOf(getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous'));
    },
  };
}

/** The same masking as the pipeline's: errors the gateway raised on purpose pass, anything else is "Unexpected error." */
function maskResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map((error) => maskError(error, 'Unexpected error.', false) as GraphQLError) };
}

/** Stable text for the variables, so `{a,b}` and `{b,a}` share a stream. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/**
 * Identical subscriptions share one execution (src/subscriptions/hub.ts), on WebSocket and SSE alike: same document,
 * operation and variables, and the same viewer (what a subscription shows depends on who may see it).
 */
export function useSharedSubscriptions(hub: SubscriptionHub): Plugin<GatewayContext> {
  // A short id stands for each parsed document (yoga's parse cache hands back the same object for the same text),
  // so stream keys do not copy the query text.
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextId = 0;
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      setSubscribeFn(async (execution: ExecutionArgs) => {
        let id = documentIds.get(execution.document);
        if (id === undefined) documentIds.set(execution.document, (id = nextId++));
        const context = execution.contextValue as GatewayContext;
        const viewer = context.viewer;
        // The tenant JSON-quoted: a tenant named "*" must not share the admins' streams (which show every tenant's work).
        const key = `${id}\u0000${execution.operationName ?? ''}\u0000${viewer.admin ? '*' : JSON.stringify(viewer.tenant)}\u0000${stableJson(execution.variableValues)}`;
        // Results written straight to WebSocket subscribers skip the per-subscriber result hooks, so the stream
        // masks unexpected errors itself, once per result for every subscriber.
        return hub.subscribe(key, () => subscribeFn(execution) as never, context.frames, maskResult);
      });
    },
  };
}
