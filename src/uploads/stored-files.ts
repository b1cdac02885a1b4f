// Stored uploads, one table per owner (security_files for stage 4, application_files for stage 1), all of the
// same shape. Rule: every upload is a new row — (application_id, slot, version) is unique, versions count per
// slot, nothing is overwritten or deleted; bytes live in the database so that several instances share them.
// Names are shown through displayFilename (invisible characters removed, also from rows stored before the rule).
import { type Runner, unionAllOfLimited } from '../db/knex';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';
import { displayFilename } from './safe-download-filename';

export type StoredFileTable = 'security_files' | 'application_files';

export interface FileMeta {
  id: string;
  applicationId: string;
  organizationId: string;
  slot: string;
  version: number;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedByName: string | null;
  uploadedAt: string;
}
export interface FileWithContent extends FileMeta {
  content: Buffer;
}

const META_COLUMNS = [
  'f.id',
  'f.application_id',
  'f.organization_id',
  'f.slot',
  'f.version',
  'f.filename',
  'f.content_type',
  'f.size_bytes',
  'f.sha256',
  'f.uploaded_by',
  'f.uploaded_at',
  'u.name as uploaded_by_name',
];

/** The columns META_COLUMNS selects, as the driver returns them (counts may come back as strings). */
interface FileRow {
  id: string;
  application_id: string;
  organization_id: string;
  slot: string;
  version: number | string;
  filename: string;
  content_type: string;
  size_bytes: number | string;
  sha256: string;
  uploaded_by: string;
  uploaded_by_name?: string | null;
  uploaded_at: string;
}

function fileMeta(r: FileRow): FileMeta {
  return {
    id: r.id,
    applicationId: r.application_id,
    organizationId: r.organization_id,
    slot: r.slot,
    version: Number(r.version),
    filename: displayFilename(String(r.filename)),
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedByName: r.uploaded_by_name ?? null,
    uploadedAt: r.uploaded_at,
  };
}

/** One slot's versions, newest first: the version is unique within a slot (the table's unique index). */
const NEWEST_VERSION_FIRST: KeysetOrder<FileRow> = {
  columns: ['f.version'],
  direction: 'desc',
  keyOf: (row) => [Number(row.version)],
};

export function createStoredFiles(db: Runner, table: StoredFileTable) {
  const r = (trx?: Runner) => trx ?? db;
  const metaOf = (run: Runner, applicationId: string) =>
    run(`${table} as f`).leftJoin('users as u', 'u.id', 'f.uploaded_by').where('f.application_id', applicationId);
  return {
    /**
     * The newest `perSlot` versions of each of these slots (newest first within a slot, slots in the given
     * order) and how many versions each slot holds (a slot without files is absent from the map). Two
     * statements whatever the number of versions: one UNION ALL of a LIMITed range per slot, each read
     * backwards from the unique index (application_id, slot, version), and one grouped count.
     */
    async latestVersions(
      applicationId: string,
      slots: readonly string[],
      perSlot: number,
      trx?: Runner,
    ): Promise<{ files: FileMeta[]; counts: Map<string, number> }> {
      if (slots.length === 0) return { files: [], counts: new Map() };
      const run = r(trx);
      const branches = slots.map((slot) =>
        metaOf(run, applicationId)
          .where('f.slot', slot)
          .orderBy('f.version', 'desc')
          .limit(perSlot)
          .select(META_COLUMNS),
      );
      const [rows, countRows] = await Promise.all([
        unionAllOfLimited<FileRow>(run, branches),
        run(table)
          .where('application_id', applicationId)
          .whereIn('slot', [...slots])
          .groupBy('slot')
          .select('slot')
          .count<{ slot: string; n: number | string }[]>({ n: '*' }),
      ]);
      const order = new Map(slots.map((s, i) => [s, i]));
      const files = rows.map(fileMeta).sort((a, b) => order.get(a.slot)! - order.get(b.slot)! || b.version - a.version);
      return { files, counts: new Map(countRows.map((c) => [c.slot, Number(c.n)])) };
    },
    /** One page of a slot's versions, newest first, by a keyset cursor on the version (src/pagination). */
    async versionPage(applicationId: string, slot: string, page: PageRequest, trx?: Runner): Promise<Page<FileMeta>> {
      const q = metaOf(r(trx), applicationId).where('f.slot', slot).select(META_COLUMNS);
      const found = await keysetPage<FileRow>(q, NEWEST_VERSION_FIRST, page);
      return { ...found, rows: found.rows.map(fileMeta) };
    },
    /** The files with these ids (e.g. the ones remediations point at), in no particular order. */
    async filesByIds(applicationId: string, ids: readonly string[], trx?: Runner): Promise<FileMeta[]> {
      if (ids.length === 0) return [];
      const rows: FileRow[] = await metaOf(r(trx), applicationId)
        .whereIn('f.id', [...new Set(ids)])
        .select(META_COLUMNS);
      return rows.map(fileMeta);
    },
    /** Which of these slots hold at least one file (one row per slot, whatever the number of versions). */
    async slotsWithFiles(applicationId: string, slots: readonly string[], trx?: Runner): Promise<string[]> {
      if (slots.length === 0) return [];
      const rows: { slot: string }[] = await r(trx)(table)
        .where('application_id', applicationId)
        .whereIn('slot', [...slots])
        .distinct('slot');
      return rows.map((row) => row.slot);
    },
    async findFile(applicationId: string, fileId: string, trx?: Runner): Promise<FileWithContent | undefined> {
      const row = await r(trx)(`${table} as f`)
        .leftJoin('users as u', 'u.id', 'f.uploaded_by')
        .where({ 'f.application_id': applicationId, 'f.id': fileId })
        .first([...META_COLUMNS, 'f.content']);
      if (!row) return undefined;
      const content: Buffer = Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content);
      return { ...fileMeta(row), content };
    },
    async latestVersion(applicationId: string, slot: string, trx?: Runner): Promise<number> {
      const row = await r(trx)(table)
        .where({ application_id: applicationId, slot })
        .max<{ v: number | string | null }>({ v: 'version' })
        .first();
      return Number(row?.v ?? 0);
    },
    async insertFile(f: Omit<FileMeta, 'uploadedByName'> & { content: Buffer }, trx?: Runner): Promise<void> {
      await r(trx)(table).insert({
        id: f.id,
        application_id: f.applicationId,
        organization_id: f.organizationId,
        slot: f.slot,
        version: f.version,
        filename: f.filename,
        content_type: f.contentType,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
        content: f.content,
        uploaded_by: f.uploadedBy,
        uploaded_at: f.uploadedAt,
      });
    },
  };
}
