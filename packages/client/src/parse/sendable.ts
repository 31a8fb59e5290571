import type { tl } from '@telegram-mt/tl';
import { ParseError } from './errors.js';

/**
 * Entities as messages.sendMessage takes them: a mention by user id
 * (`messageEntityMentionName`, what the parsers give) becomes
 * `inputMessageEntityMentionName` with the user's access hash, looked up by
 * `inputUserOf` (typically from the peer cache). A user it does not know is a
 * `ParseError` (`BAD_MENTION`), not a mention silently dropped.
 */
export async function toSendableEntities(
  entities: readonly tl.MessageEntity[],
  inputUserOf: (userId: bigint) => Promise<tl.InputUser | undefined> | tl.InputUser | undefined,
): Promise<tl.MessageEntity[]> {
  const out: tl.MessageEntity[] = [];
  for (const e of entities) {
    if (e._ !== 'messageEntityMentionName') {
      out.push(e);
      continue;
    }
    const userId = await inputUserOf(e.userId);
    if (!userId) throw new ParseError('entities', 'BAD_MENTION', e.offset, `mentioned user ${e.userId} is unknown (no access hash)`);
    out.push({ _: 'inputMessageEntityMentionName', offset: e.offset, length: e.length, userId });
  }
  return out;
}
