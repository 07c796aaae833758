/// <reference lib="dom" />
/**
 * The README's screenshots, taken with the page tests' headless browser: `npm run docs:screenshots` writes
 * docs/anslagstavla.png and docs/protokoll.png from the demo's 2018-06-14 meeting as it stood on 2018-08-15, while
 * its anslag was up. Not part of `npm test`: it writes into the repository.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMeeting20180614 } from '../../apps/kansli/src/cli/demo-2018-06-14';
import { TestBrowser } from '../support/browser';
import { startKansli } from '../support/kansli';
import { pagesBase, PagesClock } from '../support/pages';

it('takes the screenshots of the anslagstavla and a protocol', async () => {
  const browser = await TestBrowser.start();
  const server = await startKansli({}, { clock: new PagesClock() });
  try {
    const { meetingId } = await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
    const shots = await browser.run(
      async ({ newPage }, base: string, meetingId: string) => {
        const page = await newPage();
        const take = async (path: string, width: number, height: number) => {
          await page.setViewport({ width, height, deviceScaleFactor: 1 });
          await page.goto(`${base}${path}`);
          return Buffer.from(await page.screenshot({ type: 'png' })).toString('base64');
        };
        const shots = { anslagstavla: await take('/anslagstavla', 1280, 600), protokoll: await take(`/protokoll/${meetingId}`, 1280, 1250) };
        await page.close();
        return shots;
      },
      pagesBase(server),
      meetingId,
    );
    for (const [name, png] of Object.entries(shots)) writeFileSync(join(__dirname, '..', '..', 'docs', `${name}.png`), Buffer.from(png, 'base64'));
  } finally {
    await browser.close();
    await server.close();
  }
}, 180_000);
