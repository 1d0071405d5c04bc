import type { App, BlockAction, RespondFn, SlackViewAction, types } from '@slack/bolt';
import { ANSWER_ID_PATTERN, FEEDBACK_TEXT, type FeedbackRef, type FeedbackService, type FeedbackTarget } from '../../src/bot/feedback.js';
import type { Logger } from '../../src/bot/log.js';
import { CORRECTION_LINK_MAX, CORRECTION_TEXT_MAX, FEEDBACK_REASONS, type FeedbackReason } from '../../src/bot/records.js';
import type { Language } from '../../src/engine/types.js';

// Not imported from format.ts, which imports this module (the feedback block goes under answers).
type KnownBlock = types.KnownBlock;
/** A message as format.ts's SlackMessage: text fallback and blocks. */
interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/**
 * Feedback on answers, in Slack's idiom: 👍 / 👎 buttons under an answer; a 👎 answers the clicker
 * with an ephemeral choice of reasons and "Suggest a correction", which opens a modal. Every click
 * is acknowledged at once (Slack allows 3 s) and thanked ephemerally; the feedback service decides
 * what is recorded. Nothing a user writes here changes what the bot answers.
 */

/** action_ids of the feedback buttons (namespaced like the other buttons of this app). */
export const ACTION_FEEDBACK_UP = 'haidian_feedback_up';
export const ACTION_FEEDBACK_DOWN = 'haidian_feedback_down';
/** Followed by the reason: `haidian_feedback_reason_out-of-date`. */
export const ACTION_FEEDBACK_REASON_PREFIX = 'haidian_feedback_reason_';
export const ACTION_FEEDBACK_CORRECT = 'haidian_feedback_correct';
/** callback_id of the "Suggest a correction" modal. */
export const VIEW_CORRECTION = 'haidian_feedback_correction';
/** block_id / action_id of the modal's inputs. */
export const CORRECTION_TEXT_BLOCK = 'correction_text';
export const CORRECTION_LINK_BLOCK = 'correction_link';
export const CORRECTION_INPUT_ACTION = 'value';

const LABELS = {
  en: { ...FEEDBACK_TEXT.en, up: '👍', down: '👎', submit: 'Send', cancel: 'Cancel', close: 'Close' },
  zh: { ...FEEDBACK_TEXT.zh, up: '👍', down: '👎', submit: '提交', cancel: '取消', close: '关闭' },
} as const;

/** Encodes a feedback reference for a button value or a modal's private_metadata. */
export function encodeFeedbackRef(ref: FeedbackRef): string {
  return `${ref.language}:${ref.factId}:${ref.answerId}`;
}

/** Parses a value from Slack; anything but a language, a fact slug and an answer id is rejected. */
export function decodeFeedbackRef(value: string | undefined): FeedbackRef | undefined {
  const match = /^(en|zh):([a-z0-9]+(?:-[a-z0-9]+)*):([A-Za-z0-9_-]+)$/.exec(value ?? '');
  if (!match || !ANSWER_ID_PATTERN.test(match[3] as string)) return undefined;
  return { language: match[1] as Language, factId: match[2] as string, answerId: match[3] as string };
}

/** The 👍 / 👎 actions block under an answer. */
export function formatFeedbackBlock(ref: FeedbackRef): KnownBlock {
  const labels = LABELS[ref.language];
  const value = encodeFeedbackRef(ref);
  return {
    type: 'actions',
    block_id: 'haidian_feedback',
    elements: [button(ACTION_FEEDBACK_UP, labels.up, value), button(ACTION_FEEDBACK_DOWN, labels.down, value)],
  };
}

/** The ephemeral reply to a 👎: why, as buttons, and "Suggest a correction". */
export function formatReasonMessage(ref: FeedbackRef): SlackMessage {
  const labels = LABELS[ref.language];
  const value = encodeFeedbackRef(ref);
  return {
    text: labels.askReason,
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: labels.askReason } },
      {
        type: 'actions',
        block_id: 'haidian_feedback_reasons',
        elements: [
          ...FEEDBACK_REASONS.map((reason) => button(`${ACTION_FEEDBACK_REASON_PREFIX}${reason}`, labels.reasons[reason], value)),
          { ...button(ACTION_FEEDBACK_CORRECT, labels.correct, value), style: 'primary' },
        ],
      },
    ],
  };
}

/** The "Suggest a correction" modal: what is wrong (required, bounded) and an optional source link. */
export function formatCorrectionModal(ref: FeedbackRef): types.ModalView {
  const labels = LABELS[ref.language];
  return {
    type: 'modal',
    callback_id: VIEW_CORRECTION,
    private_metadata: encodeFeedbackRef(ref),
    title: { type: 'plain_text', text: labels.modalTitle },
    submit: { type: 'plain_text', text: labels.submit },
    close: { type: 'plain_text', text: labels.cancel },
    blocks: [
      {
        type: 'input',
        block_id: CORRECTION_TEXT_BLOCK,
        label: { type: 'plain_text', text: labels.textLabel },
        hint: { type: 'plain_text', text: labels.textHint },
        element: { type: 'plain_text_input', action_id: CORRECTION_INPUT_ACTION, multiline: true, min_length: 1, max_length: CORRECTION_TEXT_MAX },
      },
      {
        type: 'input',
        block_id: CORRECTION_LINK_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: labels.linkLabel },
        // Plain text, not url_text_input: the link is kept as text and never shown to anyone as a link.
        element: { type: 'plain_text_input', action_id: CORRECTION_INPUT_ACTION, max_length: CORRECTION_LINK_MAX },
      },
    ],
  };
}

function thanksModal(language: Language): types.ModalView {
  const labels = LABELS[language];
  return {
    type: 'modal',
    title: { type: 'plain_text', text: labels.modalTitle },
    close: { type: 'plain_text', text: labels.close },
    blocks: [{ type: 'section', text: { type: 'plain_text', text: labels.thanksCorrection } }],
  };
}

function ephemeralText(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'plain_text', text } }] };
}

function button(actionId: string, label: string, value: string): types.Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text: label, emoji: true }, value };
}

export interface FeedbackListenerDeps {
  readonly feedback: FeedbackService;
  readonly logger: Logger;
}

/** Registers the feedback buttons' and the correction modal's listeners. */
export function registerFeedbackListeners(app: App, deps: FeedbackListenerDeps): void {
  const { feedback, logger } = deps;

  /** One click's error boundary: the ack already went out; a failure is logged by ids, never thrown. */
  const handle = async (body: BlockAction, what: string, work: (ref: FeedbackRef, target: FeedbackTarget) => Promise<void>, value: string | undefined): Promise<void> => {
    // No user id in feedback logs: the records keep only its keyed hash, the logs nothing.
    const ids = { team: body.team?.id, source: what };
    const ref = decodeFeedbackRef(value);
    if (!ref) {
      logger.warn(ids, 'slack: feedback button with an unreadable value ignored');
      return;
    }
    try {
      await work(ref, { platform: 'slack', userId: body.user.id, ...ref });
    } catch (error) {
      logger.error({ ...ids, err: error }, 'slack: feedback failed');
    }
  };
  const reply = (respond: RespondFn, message: SlackMessage, replaceOriginal = false): Promise<unknown> =>
    respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: message.text, blocks: message.blocks });
  const valueOf = (action: BlockAction['actions'][number]): string | undefined => (action.type === 'button' ? action.value : undefined);

  app.action<BlockAction>(ACTION_FEEDBACK_UP, async ({ ack, body, action, respond }) => {
    await ack();
    await handle(body, 'feedback-up', async (ref, target) => {
      const outcome = await feedback.vote(target, 'up');
      logger.info({ factId: ref.factId, outcome }, 'slack: feedback');
      await reply(respond, ephemeralText(LABELS[ref.language].thanksUp));
    }, valueOf(action));
  });

  app.action<BlockAction>(ACTION_FEEDBACK_DOWN, async ({ ack, body, action, respond }) => {
    await ack();
    await handle(body, 'feedback-down', async (ref, target) => {
      // The 👎 counts now; a reason picked next replaces it (the last vote wins).
      const outcome = await feedback.vote(target, 'down');
      logger.info({ factId: ref.factId, outcome }, 'slack: feedback');
      await reply(respond, formatReasonMessage(ref));
    }, valueOf(action));
  });

  app.action<BlockAction>(new RegExp(`^${ACTION_FEEDBACK_REASON_PREFIX}(${FEEDBACK_REASONS.join('|')})$`), async ({ ack, body, action, respond }) => {
    await ack();
    const reason = FEEDBACK_REASONS.find((r) => action.action_id === `${ACTION_FEEDBACK_REASON_PREFIX}${r}`) as FeedbackReason;
    await handle(body, 'feedback-reason', async (ref, target) => {
      const outcome = await feedback.vote(target, 'down', reason);
      logger.info({ factId: ref.factId, reason, outcome }, 'slack: feedback');
      // The thanks takes the place of the reason buttons, so they cannot be clicked again by mistake.
      await reply(respond, ephemeralText(LABELS[ref.language].thanksDown), true);
    }, valueOf(action));
  });

  app.action<BlockAction>(ACTION_FEEDBACK_CORRECT, async ({ ack, body, action, client }) => {
    await ack();
    await handle(body, 'feedback-correct', async (ref) => {
      // trigger_id expires 3 s after the click: open the modal first, nothing before it.
      await client.views.open({ trigger_id: body.trigger_id, view: formatCorrectionModal(ref) });
    }, valueOf(action));
  });

  app.view<SlackViewAction>(VIEW_CORRECTION, async ({ ack, body, view }) => {
    const ref = decodeFeedbackRef(view.private_metadata);
    const ids = { team: body.team?.id, source: 'feedback-correction' };
    if (!ref) {
      await ack();
      logger.warn(ids, 'slack: correction with unreadable metadata ignored');
      return;
    }
    const text = view.state.values[CORRECTION_TEXT_BLOCK]?.[CORRECTION_INPUT_ACTION]?.value ?? '';
    const link = view.state.values[CORRECTION_LINK_BLOCK]?.[CORRECTION_INPUT_ACTION]?.value ?? undefined;
    if (text.trim() === '') {
      await ack({ response_action: 'errors', errors: { [CORRECTION_TEXT_BLOCK]: LABELS[ref.language].empty } });
      return;
    }
    // The modal turns into the thanks at once; recording follows within the same request.
    await ack({ response_action: 'update', view: thanksModal(ref.language) });
    try {
      const outcome = await feedback.suggestCorrection({ platform: 'slack', userId: body.user.id, ...ref }, text, link);
      logger.info({ factId: ref.factId, outcome }, 'slack: correction');
    } catch (error) {
      logger.error({ ...ids, err: error }, 'slack: correction failed');
    }
  });
}
