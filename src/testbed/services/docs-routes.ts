// GET /docs: the emulator's documentation page, server-rendered (no scripts, CSP-safe) from the endpoint
// registry (../docs/endpoints.ts: OAuth, management and service APIs), the recorded examples
// (../docs/docs-examples.json, produced by calling the emulator itself) and the scenario catalogue.
//
// Rendered once per language and cached until a restart: everything the body shows is fixed when the process
// starts (the registry, the recorded examples, the code catalogue, the scenarios and the transfer limits are
// constants or set when the services are created; nothing is read from the database). The body holds nothing
// about the visitor: the header (their name, unread count, CSRF token, language switch) is the layout around
// it, rendered per request (reply.pageFromBody). Only a filtered code list (?code=) is rendered per request.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkSchemasAfterGuards, PageQuery } from '../../http/route-schemas';
import type { TransferLimits } from './transfer-limits';
import { SCENARIOS, SCENARIO_ACCOUNTS } from '../scenarios/catalogue';
import { ENDPOINTS, fieldMeaningKey, type DocField } from '../docs/endpoints';
import { DOCS_EXAMPLES, type DocsExample } from '../docs/examples';
import { codeCatalogue } from '../docs/code-catalogue';
import { translate, type Locale } from '../../i18n';

interface FieldRow {
  name: string;
  type: string;
  length: string;
  required: boolean;
  values: string;
  description: string;
  depth: number;
}

function rows(fields: readonly DocField[], locale: Locale, depth = 0): FieldRow[] {
  return fields.flatMap((f) => [
    {
      name: f.name,
      type: f.type,
      length: f.length ?? '',
      required: f.required,
      values: f.values?.join(' / ') ?? '',
      description: translate(locale, fieldMeaningKey(f)),
      depth,
    },
    ...rows(f.items ?? [], locale, depth + 1),
  ]);
}

/** The recorded request as an HTTP message: request line (with the query), headers, blank line, body. */
function exampleRequestText(x: DocsExample): string {
  const r = x.request;
  const query = r.query ? `?${new URLSearchParams(r.query).toString()}` : '';
  const lines = [`${r.method} ${r.path}${query}`, ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  if (r.body !== undefined) {
    const form = (r.headers?.['Content-Type'] ?? '').startsWith('application/x-www-form-urlencoded');
    lines.push(
      '',
      form ? new URLSearchParams(r.body as Record<string, string>).toString() : JSON.stringify(r.body, null, 2),
    );
  }
  return lines.join('\n');
}

/** The recorded answer: status line, headers that matter (Location), blank line, JSON body. */
function exampleResponseText(x: DocsExample): string {
  const lines = [
    `HTTP/1.1 ${x.response.status}`,
    ...Object.entries(x.response.headers ?? {}).map(([k, v]) => `${k[0]!.toUpperCase()}${k.slice(1)}: ${v}`),
  ];
  if (x.response.body !== undefined) lines.push('', JSON.stringify(x.response.body, null, 2));
  return lines.join('\n');
}

/**
 * Text for inside <pre><code>: only &, < and > escaped (the template prints it with {{{ }}}). Handlebars'
 * own escaping would also turn every quote of the JSON into &quot; and make the page a third heavier.
 */
function preText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The request shows; the response (often long: wd_limit lists every bank) starts folded in a <details>. */
function exampleModel(x: DocsExample) {
  return { requestHtml: preText(exampleRequestText(x)), responseHtml: preText(exampleResponseText(x)) };
}

function pageModel(locale: Locale) {
  const endpoints = ENDPOINTS.map((e) => {
    const example = DOCS_EXAMPLES[e.key];
    return {
      key: e.key,
      method: e.method,
      path: e.path,
      tag: e.tag,
      scopes: e.scopes.join(' '),
      inferred: e.inferred ?? false,
      title: translate(locale, `testbed.endpoint.${e.key}.title`),
      summary: translate(locale, `testbed.endpoint.${e.key}.summary`),
      inferredNote: e.inferredNote ? translate(locale, `testbed.endpoint.${e.key}.inferred`) : '',
      request: e.request,
      fields: rows(e.fields, locale),
      headers: rows(e.headers ?? [], locale),
      response: rows(e.response, locale),
      codes: e.codes.map((c) => ({
        code: c.code,
        bank: c.bank ?? '',
        codeAnchor: c.code,
        why: c.why ? translate(locale, c.why) : '',
      })),
      covers: e.covers ?? [],
      example: example ? exampleModel(example) : null,
    };
  });
  const groups = (['oauth', 'management', 'services'] as const).map((tag) => ({
    tag,
    title: translate(locale, `testbed.docs.group.${tag}`),
    endpoints: endpoints.filter((e) => e.tag === tag),
  }));
  return { groups, codes: codeCatalogue(locale) };
}

interface DocsRoutesOptions {
  /** The emulator's transfer limits (the service APIs' own, set when the services are created). */
  limits: TransferLimits;
}

const docsRoutes: FastifyPluginAsyncTypebox<DocsRoutesOptions> = async (app, { limits }) => {
  checkSchemasAfterGuards(app);
  const models = new Map<Locale, ReturnType<typeof pageModel>>();
  const modelFor = (locale: Locale) => {
    let m = models.get(locale);
    if (!m) {
      m = pageModel(locale);
      models.set(locale, m);
    }
    return m;
  };
  const bodyData = (locale: Locale, filter: string) => {
    const model = modelFor(locale);
    const needle = filter.toLowerCase();
    const codes = needle
      ? model.codes.filter((c) => c.code.toLowerCase().includes(needle) || c.meaning.toLowerCase().includes(needle))
      : model.codes;
    return {
      locale,
      groups: model.groups,
      codes,
      codeFilter: filter,
      codeTotal: model.codes.length,
      scenarios: SCENARIOS,
      scenarioAccounts: Object.values(SCENARIO_ACCOUNTS),
      limits,
    };
  };
  const bodies = new Map<Locale, Buffer>();
  app.get('/docs', { schema: { querystring: PageQuery(['code']) } }, async (req, reply) => {
    const raw = req.query.code;
    const filter = typeof raw === 'string' ? raw.trim().slice(0, 40) : '';
    const title = { titleKey: 'testbed.docs.title' };
    if (filter) return reply.page('testbed-docs/index', { ...title, ...bodyData(req.locale, filter) });
    let body = bodies.get(req.locale);
    if (body === undefined) {
      body = Buffer.from(app.renderBody('testbed-docs/index', bodyData(req.locale, '')));
      bodies.set(req.locale, body);
    }
    return reply.pageFromBody(body, title);
  });
};

export default docsRoutes;
