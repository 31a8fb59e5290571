import type { tl } from '@telegram-mt/tl';

/** Plain text and the entities that format it; offsets and lengths are UTF-16 code units. */
export interface FormattedText {
  text: string;
  entities: tl.MessageEntity[];
}

export type ParseMode = 'markdown' | 'html';
