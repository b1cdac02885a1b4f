// A person's keyboard for the e2e tests: Tab to each control (remembering every element that took focus and
// whether the focus could be seen), type, tick, choose with the arrow keys, pick files through the chooser,
// and submit with Enter or Space after checking every control of the form up to its button was reached.
// Shared by test/e2e/keyboard.test.ts and test/e2e/keyboard-more.test.ts.
import type { FastifyInstance } from 'fastify';
import type { FileChooser, Page } from 'playwright-core';
import type { Test } from 'tap';
import { Browser as InjectBrowser } from './build';
import { message, seeNotice } from './browser';

export interface Stop {
  key: string;
  desc: string;
  kind: string;
  visible: boolean;
}

/**
 * One person's keyboard. Remembers every element that took focus since the page was loaded, and every
 * focus that could not be seen; `submit` checks that all controls of the form up to its button were reached.
 */
export class Keyboard {
  reached = new Set<string>();
  unseen: string[] = [];
  kinds = new Set<string>();
  private chooser: ((c: FileChooser) => void) | null = null;
  constructor(readonly page: Page) {
    // Listening from the start makes Chromium hand file choosers to the test (not a native dialog) before any key is pressed.
    page.on('filechooser', (c) => {
      this.chooser?.(c);
    });
  }

  /** Where focus is now: a key naming the control (a radio group counts once), and whether focus is visible. */
  private async here(selector: string): Promise<Stop & { match: boolean }> {
    return this.page.evaluate(`(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return { match: false, key: 'body', desc: 'body', kind: 'none', visible: true };
      const s = getComputedStyle(a);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      const shadow = !!s.boxShadow && s.boxShadow !== 'none';
      const tag = a.tagName.toLowerCase();
      const key = a.type === 'radio' ? 'radio:' + a.name : tag + '#' + (a.id || '') + '[' + (a.name || '') + ']' + (tag === 'button' || tag === 'a' ? (a.getAttribute('href') || a.textContent.trim()).slice(0, 40) : '');
      const kind = tag === 'a' ? 'link' : tag === 'button' ? 'button' : ['input', 'select', 'textarea'].includes(tag) ? 'field' : a.classList.contains('table-wrap') ? 'table' : tag;
      return { match: a.matches(${JSON.stringify(selector)}), key, desc: tag + (a.id ? '#' + a.id : '') + (a.name ? '[name=' + a.name + ']' : ''), kind, visible: outline || shadow };
    })()`) as Promise<Stop & { match: boolean }>;
  }

  private note(stop: Stop): void {
    this.reached.add(stop.key);
    this.kinds.add(stop.kind);
    if (!stop.visible && stop.key !== 'body') this.unseen.push(`${stop.desc} on ${new URL(this.page.url()).pathname}`);
  }

  /** Presses Tab until focus is on `selector`; throws (naming the path taken) when it never gets there. */
  async tabTo(selector: string, max = 200): Promise<void> {
    const path: string[] = [];
    for (let i = 0; i < max; i++) {
      await this.page.keyboard.press('Tab');
      const stop = await this.here(selector);
      this.note(stop);
      if (stop.match) return;
      path.push(stop.desc);
    }
    throw new Error(
      `keyboard focus never reached ${selector} after ${max} Tab presses on ${this.page.url()}: ${path.slice(-30).join(' → ')}`,
    );
  }

  /** Tab to a text field or text area, select what is there and type over it. */
  async type(selector: string, text: string): Promise<void> {
    await this.tabTo(selector);
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
  }

  /** Tab to a checkbox and tick it with Space. */
  async tick(selector: string): Promise<void> {
    await this.tabTo(selector);
    if (!(await this.page.evaluate('document.activeElement.checked'))) await this.page.keyboard.press('Space');
    if (!(await this.page.evaluate('document.activeElement.checked')))
      throw new Error(`Space did not tick ${selector}`);
  }

  /** Tab into a radio group, then the arrow keys until `value` is chosen. */
  async choose(name: string, value: string): Promise<void> {
    await this.tabTo(`input[type=radio][name="${name}"]`);
    for (let i = 0; i < 12; i++) {
      const v = await this.page.evaluate('document.activeElement.value');
      if (v === value) {
        await this.page.keyboard.press('Space');
        if (await this.page.evaluate('document.activeElement.checked')) return;
      }
      await this.page.keyboard.press('ArrowDown');
      this.note(await this.here('*'));
    }
    throw new Error(`the arrow keys never chose ${name}=${value}`);
  }

  /** Tab to a select and change it with the arrow keys until its value is `value` (or matches it); returns the value. */
  async select(selector: string, value: string | RegExp): Promise<string> {
    await this.tabTo(selector);
    for (let i = 0; i < 30; i++) {
      const v = (await this.page.evaluate('document.activeElement.value')) as string;
      if (typeof value === 'string' ? v === value : value.test(v)) return v;
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`the arrow keys never chose ${value} in ${selector}`);
  }

  /** Tab to a file field and press Space: the file chooser opens, and the file is picked there. */
  async file(selector: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.tabTo(selector);
    const opened = new Promise<FileChooser>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Space on ${selector} opened no file chooser`)), 10_000);
      this.chooser = (c) => {
        clearTimeout(timer);
        resolve(c);
      };
    });
    await this.page.keyboard.press('Space');
    const chooser = await opened;
    this.chooser = null;
    await chooser.setFiles(file);
    const chosen = await this.page.evaluate(
      `document.activeElement.files.length ? document.activeElement.files[0].name : ''`,
    );
    if (chosen !== file.name)
      throw new Error(`the chooser did not put ${file.name} into ${selector} (got "${chosen}")`);
  }

  /**
   * Tab to the submit button, check that every control of its form before it was reached by Tab, then send
   * the form with `key` and wait for the page that comes back.
   */
  async submit(t: Test, selector: string, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
    const { controls, missed, unseen } = await this.audit(selector);
    t.same(
      missed,
      [],
      `${new URL(this.page.url()).pathname}: Tab reaches all ${controls.length} controls of the form up to its button`,
    );
    t.same(unseen, [], 'every element that took focus showed it');
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame() });
    await this.page.keyboard.press(key);
    await navigated;
    await this.page.waitForLoadState();
    this.fresh();
  }

  /** Tabs to a form's button; returns the form's controls up to it, those never reached, and invisible focus seen. */
  async audit(selector: string): Promise<{ controls: string[]; missed: string[]; unseen: string[] }> {
    await this.tabTo(selector);
    const controls = (await this.page.evaluate(`(() => {
      const b = document.activeElement;
      if (!b.form) return null;
      return Array.from(b.form.elements)
        .filter((e) => ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(e.tagName) && e.type !== 'hidden' && !e.disabled)
        .filter((e) => e === b || (e.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING))
        .map((e) => e.type === 'radio' ? 'radio:' + e.name : e.tagName.toLowerCase() + '#' + (e.id || '') + '[' + (e.name || '') + ']' + (e.tagName === 'BUTTON' ? e.textContent.trim().slice(0, 40) : ''));
    })()`)) as string[] | null;
    if (!controls) throw new Error(`${selector} is not a button of a form`);
    return { controls, missed: controls.filter((c) => !this.reached.has(c)), unseen: [...this.unseen] };
  }

  /** Forget what was reached: a new page was loaded. */
  fresh(): void {
    this.reached.clear();
    this.unseen = [];
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
    this.fresh();
  }
}

export async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim();
}

export const pdf = (name: string) => ({
  name,
  mimeType: 'application/pdf',
  buffer: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`),
});

export async function injectAs(
  app: FastifyInstance,
  email: string,
  password = 'demo-password-1',
): Promise<InjectBrowser> {
  const b = new InjectBrowser(app);
  await b.login(email, password);
  return b;
}

/** The sign-in form, by keyboard. */
export async function signIn(t: Test, k: Keyboard, who: string, pw = 'demo-password-1'): Promise<void> {
  await k.goto('/login');
  await k.type('#email', who);
  await k.type('#password', pw);
  await k.submit(t, 'main button[type=submit]');
  t.not(new URL(k.page.url()).pathname, '/login', `${who} is signed in`);
}

/** Claims the application from its review page when it is offered (a one-button form). */
export async function claimIfOffered(t: Test, k: Keyboard, reviewUrl: string): Promise<void> {
  await k.goto(reviewUrl);
  if (await k.page.locator(`main form[action="${reviewUrl}/claim"]`).count()) {
    await k.submit(t, `main form[action="${reviewUrl}/claim"] button`);
    await seeNotice(t, k.page, message('ko', 'workflow.review.claimed'));
  }
}
