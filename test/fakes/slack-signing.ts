import { createHmac } from 'node:crypto';

/**
 * Sends requests to a Bolt HTTP endpoint the way Slack does: signed with the signing secret
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack).
 */

export interface SignedHeaders {
  readonly 'x-slack-request-timestamp': string;
  readonly 'x-slack-signature': string;
}

/** Slack's signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed by the signing secret. */
export function signSlackRequest(signingSecret: string, rawBody: string, timestampSec = Math.floor(Date.now() / 1000)): SignedHeaders {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': `v0=${signature}` };
}

export interface SendOptions {
  readonly signingSecret: string;
  /** Unix seconds; default now. */
  readonly timestampSec?: number;
  /** Extra headers (X-Slack-Retry-Num…) or overrides (a forged signature). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SlackHttpResult {
  readonly status: number;
  readonly body: string;
  /** ms from sending to the full response. */
  readonly elapsedMs: number;
  /** `performance.now()` just before sending. */
  readonly sentAt: number;
}

/** POSTs an Events API body (JSON) to the app's `/slack/events`. */
export function postEvent(url: string, body: unknown, options: SendOptions): Promise<SlackHttpResult> {
  return send(url, JSON.stringify(body), 'application/json', options);
}

/** POSTs a slash command (form-encoded) to the app's `/slack/events`. */
export function postCommand(url: string, fields: Readonly<Record<string, string>>, options: SendOptions): Promise<SlackHttpResult> {
  return send(url, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}

/** POSTs an interaction (`payload=<json>`, form-encoded) such as block_actions to `/slack/events`. */
export function postInteraction(url: string, payload: unknown, options: SendOptions): Promise<SlackHttpResult> {
  return send(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

async function send(url: string, rawBody: string, contentType: string, options: SendOptions): Promise<SlackHttpResult> {
  const headers = {
    // Exactly this: Bolt compares the content type as a whole string, and fetch would add `;charset=UTF-8`
    // to a URLSearchParams body, which Bolt then answers with 400.
    'content-type': contentType,
    ...signSlackRequest(options.signingSecret, rawBody, options.timestampSec),
    ...options.headers,
  };
  const sentAt = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: rawBody });
  const body = await response.text();
  return { status: response.status, body, elapsedMs: performance.now() - sentAt, sentAt };
}
