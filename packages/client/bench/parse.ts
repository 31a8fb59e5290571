// Markdown and HTML → text + entities (and back) for a typical formatted
// message (~0.5 KB, 14 entities, emoji), next to the same work by mtcute's
// and GramJS's parsers in the same run, when they are installed. Ratios are
// what to read: the machine is noisy. Run: npx tsx bench/parse.ts after a build.
// As built (dist), as users get it: `npm run build -w @telegram-mt/client` first.
import { parseHtml, parseMarkdown, unparseHtml, unparseMarkdown } from '../dist/parse/index.js';

const HTML =
  '<b>Release 2.4</b> 🎉 is out!\n' +
  '<i>What changed:</i> faster <code>sendMessage</code>, <u>fewer</u> reconnects, ' +
  '<a href="https://example.com/changelog?v=2.4&amp;lang=en">the changelog</a> has the rest.\n' +
  '<blockquote>Thanks to <a href="tg://user?id=123456">Ann</a> and <b>Bob <i>the builder</i></b> 👷</blockquote>\n' +
  '<pre><code class="language-ts">const client = new TelegramClient({ apiId, apiHash });\nawait client.start();</code></pre>\n' +
  '<tg-spoiler>Next: stories</tg-spoiler> &lt;3 <s>bugs</s>';
const MD =
  '**Release 2.4** 🎉 is out\\!\n' +
  '__What changed:__ faster `sendMessage`, ++fewer++ reconnects, ' +
  '[the changelog](https://example.com/changelog?v=2.4&lang=en) has the rest.\n' +
  '> Thanks to [Ann](tg://user?id=123456) and **Bob __the builder__** 👷\n' +
  '```ts\nconst client = new TelegramClient({ apiId, apiHash });\nawait client.start();\n```\n' +
  '||Next: stories|| <3 ~~bugs~~';

interface Case {
  name: string;
  run: () => unknown;
}

async function peers(): Promise<Case[]> {
  const cases: Case[] = [];
  try {
    const { thtml } = await import('@mtcute/html-parser' as string);
    const { md } = await import('@mtcute/markdown-parser' as string);
    const parsed = thtml(HTML);
    cases.push({ name: 'mtcute parse html', run: () => thtml(HTML) });
    cases.push({ name: 'mtcute unparse html', run: () => thtml.unparse(parsed) });
    cases.push({ name: 'mtcute parse markdown', run: () => md(MD.replace(/\+\+/g, '--')) });
  } catch {
    console.log('(@mtcute/html-parser / markdown-parser not installed: skipped)');
  }
  try {
    const { HTMLParser } = await import('telegram/extensions/html.js' as string);
    const [text, entities] = HTMLParser.parse(HTML);
    cases.push({ name: 'GramJS parse html', run: () => HTMLParser.parse(HTML) });
    cases.push({ name: 'GramJS unparse html', run: () => HTMLParser.unparse(text, entities) });
  } catch {
    console.log('(telegram (GramJS) not installed: skipped)');
  }
  return cases;
}

function rate(c: Case, ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) c.run();
    n += 50;
  }
  return (n * 1000) / ms;
}

const h = parseHtml(HTML);
const m = parseMarkdown(MD);
const ours: Case[] = [
  { name: 'ours parse html', run: () => parseHtml(HTML) },
  { name: 'ours unparse html', run: () => unparseHtml(h.text, h.entities) },
  { name: 'ours parse markdown', run: () => parseMarkdown(MD) },
  { name: 'ours unparse markdown', run: () => unparseMarkdown(m.text, m.entities) },
];
const cases = [...ours, ...(await peers())];
const ROUNDS = 5;
const rates = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const c of cases) rate(c, 100); // warm up
// Interleaved rounds: a slow spell of the machine hits every case alike.
for (let r = 0; r < ROUNDS; r++) for (const c of cases) rates.get(c.name)!.push(rate(c, 200));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const base = median(rates.get('ours parse html')!);
console.log(`message: ${HTML.length} chars of HTML, ${MD.length} of Markdown, ${h.entities.length} entities`);
for (const c of cases) {
  const r = median(rates.get(c.name)!);
  console.log(`${c.name.padEnd(24)} ${(r / 1000).toFixed(1).padStart(8)} k/s   ×${(r / base).toFixed(2)} of ours parse html`);
}
