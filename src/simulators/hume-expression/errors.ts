/**
 * Error bodies (§7). The service's own errors: `{type: "error", code, message, request_id}`, the status saying
 * how it failed and `code` why. Errors of the gateway in front of it (401, 429, unknown paths): only `message`,
 * plus a `request_id` when an API key was rejected (§2), never `type` or `code`.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';

/** 32 hex digits, as in §7's example. */
export const newRequestId = () => randomBytes(16).toString('hex');

export interface ServiceErrorBody {
  type: 'error';
  code: string;
  message: string;
  request_id: string;
}

export interface GatewayErrorBody {
  message: string;
  request_id?: string;
}

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ServiceErrorBody {
    return serviceError(this.code, this.message);
  }
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly withRequestId = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): GatewayErrorBody {
    return this.withRequestId ? { message: this.message, request_id: newRequestId() } : { message: this.message };
  }
}

export function serviceError(code: string, message: string): ServiceErrorBody {
  return { type: 'error', code, message, request_id: newRequestId() };
}

/** Bodies for injected faults: 429 and 401/404 come from the gateway, the rest from the service. */
export function faultBody(status: number): ServiceErrorBody | GatewayErrorBody {
  if (status === 429) return { message: 'API rate limit exceeded' };
  if (status === 401) return { message: 'Unauthorized' };
  if (status === 404) return { message: 'Not Found' };
  if (status >= 500) return serviceError('internal_error', status === 503 ? 'the service is temporarily unavailable' : 'internal error');
  if (status === 413) return serviceError('request_too_large', 'the request body is larger than 25 MB');
  return serviceError('message_invalid', http.STATUS_CODES[status] ?? 'the request was rejected');
}
