import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';

/**
 * How far a request's `X-Slack-Request-Timestamp` may be from this machine's clock, in either
 * direction, before the request is refused. Slack's rule is five minutes
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack#validating-a-request).
 * Bolt enforces it only for old timestamps; a timestamp in the future would let a captured request
 * be replayed for as long as the future is far away, so this side is checked here.
 */
export const SLACK_REQUEST_MAX_SKEW_SECONDS = 5 * 60;

/** Where Bolt's HTTPReceiver takes events, commands and interactions (its default). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackHttpReceiverOptions extends Pick<
  HTTPReceiverOptions,
  'signingSecret' | 'customRoutes' | 'logger'
> {
  /** Clock in ms; injectable for tests. */
  readonly now?: () => number;
}

/**
 * Bolt's HTTPReceiver (signature verification, old-timestamp check, custom routes) with a check in
 * front that refuses, with 401, a request to the events path whose timestamp is more than
 * {@link SLACK_REQUEST_MAX_SKEW_SECONDS} away from now in either direction.
 */
export function createSlackHttpReceiver(options: SlackHttpReceiverOptions): HTTPReceiver {
  const { now = Date.now, ...receiverOptions } = options;
  const receiver = new HTTPReceiver({ ...receiverOptions, endpoints: SLACK_EVENTS_PATH });
  const verifyAndDispatch = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST' && pathOf(req) === SLACK_EVENTS_PATH) {
      const skewSeconds = timestampSkewSeconds(req.headers['x-slack-request-timestamp'], now());
      if (skewSeconds !== undefined && Math.abs(skewSeconds) > SLACK_REQUEST_MAX_SKEW_SECONDS) {
        options.logger?.warn(
          `slack: request refused: its timestamp is ${Math.round(skewSeconds)} s from this clock (limit ±${SLACK_REQUEST_MAX_SKEW_SECONDS} s)`,
        );
        res.writeHead(401).end();
        return;
      }
    }
    verifyAndDispatch(req, res);
  };
  return receiver;
}

/**
 * The request timestamp minus now, in seconds (positive: in the future); undefined when the header is
 * missing or not a number, which Bolt's own verification then refuses.
 */
export function timestampSkewSeconds(
  header: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const timestampSec = Number(header);
  return Number.isNaN(timestampSec) ? undefined : timestampSec - nowMs / 1000;
}

/** The path exactly as Bolt's router computes it, so the check covers every request Bolt treats as an event. */
function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
