import t from 'tap';
import { auditTrailCsv, csvField } from '../../src/workflow/audit-csv';
import type { AuditEvent } from '../../src/audit/service';

t.test('the audit trail exports as CSV with a BOM, quoting, CRLF line ends, and keys beside their names', async (t) => {
  const e: AuditEvent = {
    id: '1',
    organizationId: 'o',
    applicationId: 'a',
    actorUserId: 'u',
    actorLabel: 'rev@x.example',
    event: 'application.rejected',
    fromState: 'suitability:in_review',
    toState: 'suitability:rejected',
    reason: '자본금, "최소" 기준\r\n미달',
    internal: false,
    data: { sections: ['company'] },
    createdAt: '2026-11-02T01:00:00.000Z',
  };
  const csv = auditTrailCsv([e, { ...e, reason: null, internal: true, data: null }]);
  t.ok(
    csv.startsWith(
      '\uFEFFcreated_at,event,event_name,actor,from_state,from_state_name,to_state,to_state_name,reason,internal,data\r\n',
    ),
  );
  t.match(
    csv,
    'application.rejected,반려,rev@x.example,suitability:in_review,적합성 심사 · 심사 중,suitability:rejected,적합성 심사 · 반려,',
    'Korean names beside the keys',
  );
  t.match(
    auditTrailCsv([e], 'en'),
    'application.rejected,Rejected,rev@x.example,suitability:in_review,Suitability review · In review,',
    'English on request',
  );
  t.ok(csv.endsWith('\r\n'));
  t.match(csv, '"자본금, ""최소"" 기준\r\n미달"');
  t.match(csv, '"{""sections"":[""company""]}"');
  t.match(csv, 'suitability:rejected,적합성 심사 · 반려,,yes,\r\n');
});

t.test('cells a spreadsheet would run as formulas are neutralised', async (t) => {
  t.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  t.equal(csvField('+1'), "'+1");
  t.equal(csvField('-2'), "'-2");
  t.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  t.equal(csvField('plain'), 'plain');
  t.equal(csvField(null), '');
});
