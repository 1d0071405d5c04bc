import { randomUUID } from 'node:crypto';

/** Realistic Slack payloads for the end-to-end tests (shapes as Slack documents and Bolt accepts them). */

export const TEAM_ID = 'T0001';
export const HUMAN = 'U0HUMAN';
export const CHANNEL = 'C0001';
export const DM_CHANNEL = 'D0001';

let tsCounter = 0;
/** A fresh Slack message timestamp. */
export function nextTs(): string {
  tsCounter += 1;
  return `1710000${String(tsCounter).padStart(3, '0')}.${String(tsCounter).padStart(6, '0')}`;
}

/** Wraps an event the way the Events API delivers it. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8)}`): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: 'UBOT0001', is_bot: true, is_enterprise_install: false }],
    event,
  };
}

export interface MessageFields {
  readonly text: string;
  readonly user?: string;
  readonly channel?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly [extra: string]: unknown;
}

/** An `app_mention` event. */
export function mentionEvent(fields: MessageFields): Record<string, unknown> {
  const ts = fields.ts ?? nextTs();
  return { type: 'app_mention', user: HUMAN, channel: CHANNEL, event_ts: ts, ...fields, ts };
}

/** A `message` event (`channel_type` im by default). */
export function messageEvent(fields: MessageFields & { channel_type?: string }): Record<string, unknown> {
  const ts = fields.ts ?? nextTs();
  return { type: 'message', user: HUMAN, channel: DM_CHANNEL, channel_type: 'im', event_ts: ts, ...fields, ts };
}

/** Slash command form fields. */
export function commandFields(text: string, responseUrl: string, command = '/haidian'): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'fake',
    channel_id: CHANNEL,
    channel_name: 'general',
    user_id: HUMAN,
    user_name: 'human',
    command,
    text,
    api_app_id: 'A0001',
    response_url: responseUrl,
    trigger_id: 'trigger-1',
  };
}

export interface ButtonInBlocks {
  readonly action_id: string;
  readonly value: string;
  readonly text: string;
  readonly block_id?: string;
}

/** Every button in a posted message's blocks. */
export function buttonsIn(blocks: unknown): ButtonInBlocks[] {
  if (!Array.isArray(blocks)) return [];
  const buttons: ButtonInBlocks[] = [];
  for (const block of blocks as { type?: string; block_id?: string; elements?: { type?: string; action_id?: string; value?: string; text?: { text?: string } }[] }[]) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (element.type === 'button' && element.action_id && element.value !== undefined) {
        buttons.push({ action_id: element.action_id, value: element.value, text: element.text?.text ?? '', ...(block.block_id ? { block_id: block.block_id } : {}) });
      }
    }
  }
  return buttons;
}

export interface ClickWhere {
  readonly channel: string;
  readonly responseUrl: string;
  /** The message the button is in; absent for ephemeral messages. */
  readonly message?: { readonly ts: string; readonly thread_ts?: string; readonly text?: string };
  readonly ephemeral: boolean;
  readonly user?: string;
}

/** A block_actions payload for a click on `button`. */
export function blockActions(button: ButtonInBlocks, where: ClickWhere): Record<string, unknown> {
  const messageTs = where.message?.ts ?? nextTs();
  return {
    type: 'block_actions',
    team: { id: TEAM_ID, domain: 'fake' },
    user: { id: where.user ?? HUMAN, username: 'human', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: where.channel, is_ephemeral: where.ephemeral },
    trigger_id: 'trigger-2',
    channel: { id: where.channel, name: 'general' },
    ...(where.message ? { message: { type: 'message', user: 'UBOT0001', bot_id: 'BBOT0001', ...where.message } } : {}),
    response_url: where.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: button.block_id ?? 'block-1',
        text: { type: 'plain_text', text: button.text, emoji: true },
        value: button.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A view_submission payload for the modal `view` (as views.open sent it) with `values` typed into its inputs. */
export function viewSubmission(view: Record<string, unknown>, values: Readonly<Record<string, string | null>>, user = HUMAN): Record<string, unknown> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [blockId, value] of Object.entries(values)) state[blockId] = { value: { type: 'plain_text_input', value } };
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'fake' },
    user: { id: user, username: 'human', name: 'human', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    trigger_id: 'trigger-3',
    view: { id: 'V0001', team_id: TEAM_ID, app_id: 'A0001', bot_id: 'BBOT0001', hash: '1710000000.abcd', ...view, state: { values: state } },
    response_urls: [],
    is_enterprise_install: false,
  };
}
