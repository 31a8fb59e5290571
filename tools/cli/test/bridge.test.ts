// The bridge's relayed form: prefix, shifted entities, bold name.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { relayed } from '../src/demo/bridge.js';

test('entities move past the "[Name] " prefix in UTF-16 units, and the name is bold', (t) => {
  const entities: tl.MessageEntity[] = [
    { _: 'messageEntityBold', offset: 4, length: 7 },
    { _: 'messageEntityTextUrl', offset: 12, length: 5, url: 'https://example.org' },
  ];
  const r = relayed('Ann', { text: 'The release notes', entities });
  t.is(r.text, '[Ann] The release notes');
  t.deepEqual(r.entities, [
    { _: 'messageEntityBold', offset: 0, length: 5 },
    { _: 'messageEntityBold', offset: 10, length: 7 },
    { _: 'messageEntityTextUrl', offset: 18, length: 5, url: 'https://example.org' },
  ]);
  t.is(r.text.slice(10, 17), 'release');
});

test('a name outside the BMP counts two units per character, as Telegram does', (t) => {
  const r = relayed('Zoë 🦊', { text: 'hi', entities: [{ _: 'messageEntityItalic', offset: 0, length: 2 }] });
  t.is(r.text, '[Zoë 🦊] hi');
  t.deepEqual(r.entities[0], { _: 'messageEntityBold', offset: 0, length: 8 });
  t.deepEqual(r.entities[1], { _: 'messageEntityItalic', offset: 9, length: 2 });
  t.is(r.text.slice(9, 11), 'hi');
  t.deepEqual(relayed('Ann', { text: 'plain', entities: [] }).entities, [{ _: 'messageEntityBold', offset: 0, length: 5 }]);
});
