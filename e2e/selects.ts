// Picking from antd selects in the browser journeys: one helper, because each way of getting it
// wrong (a click on a list still sliding in, a list sliding out taken for the new one, an option
// not rendered by the virtual list) cost a CI run.
import type { Page } from 'playwright-core';

/**
 * Picks an option of the open select. Long lists are virtual (only the rows in view exist), and
 * a select opens scrolled to its current value, so scroll from the top until the option is there.
 */
export async function pickOption(page: Page, text: string | RegExp): Promise<void> {
  // The dropdown once it is open and still: one sliding out after the previous pick is `:visible`
  // too (matching it once sent the scroll to the wrong list: CI, 2026-11-23), and a click on one
  // still sliding in is often lost.
  const dropdown = page
    .locator('.ant-select-dropdown')
    .and(page.locator(':not(.ant-select-dropdown-hidden)'))
    .and(page.locator(':not([class*="-leave"]):not([class*="-enter"]):not([class*="-appear"])'))
    .last();
  // A click that lands while the dropdown is still sliding in can be lost (seen twice in CI, once
  // on each engine): the dropdown then stays open. Click again until it closes on the choice.
  for (let attempt = 1; ; attempt++) {
    await dropdown.waitFor();
    const option = dropdown.locator('.ant-select-item-option', { hasText: text }).first();
    if ((await option.count()) === 0) {
      // The virtual list follows its holder's scroll position: back to the top, then down a
      // screen at a time until the option has been rendered.
      const holder = dropdown.locator('[class*="-list-holder"]').first();
      if ((await holder.count()) > 0) {
        await holder.evaluate((element) => element.scrollTo({ top: 0 }));
        for (let step = 0; step < 40 && (await option.count()) === 0; step++) {
          await holder.evaluate((element) => element.scrollBy({ top: 120 }));
          await page.waitForTimeout(50);
        }
      }
    }
    try {
      await option.click({ timeout: 10_000 });
      await dropdown.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
