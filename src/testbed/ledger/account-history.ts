// Realistic back-dated history for a newly opened test account: about four months of salary, card
// bills, phone bills, convenience stores and transfers. Pure and deterministic: the same account number
// and the same "now" give the same history. Invariant: the running balance never goes below zero and the
// history ENDS at exactly the requested opening balance.
import { kstParts } from './kst-time';

interface HistoryItem {
  at: Date;
  amount: number; // signed: + 입금, - 출금
  printContent: string;
  tranType: string;
}

export interface PlannedPosting extends HistoryItem {
  balanceAfter: number;
}

/** mulberry32 seeded from a string hash: small, fast, deterministic. */
function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STORES = ['GS25', 'CU', '세븐일레븐', '이마트24'];
const PEOPLE = ['김민수', '이서연', '박지훈', '최유진', '정하늘'];
const SHOPS = ['쿠팡', '스타벅스', '배달의민족', '올리브영', '카카오T'];
const DAY_MS = 24 * 60 * 60 * 1000;

function roundTo(n: number, unit: number): number {
  return Math.max(unit, Math.round(n / unit) * unit);
}

/** Candidate events over the 120 days before `now` (KST days), oldest first. */
function candidateEvents(accountNum: string, now: Date): HistoryItem[] {
  const rnd = seededRandom(accountNum);
  const salary = roundTo(2_400_000 + rnd() * 1_600_000, 10_000);
  const phone = roundTo(45_000 + rnd() * 40_000, 10);
  const items: HistoryItem[] = [];
  const at = (daysAgo: number, hour: number, minute: number) => {
    const base = new Date(now.getTime() - daysAgo * DAY_MS);
    const p = kstParts(base);
    // Same KST calendar day, at the given KST wall-clock time.
    const ms = Date.UTC(
      Number(p.date.slice(0, 4)),
      Number(p.date.slice(4, 6)) - 1,
      Number(p.date.slice(6, 8)),
      hour,
      minute,
      Math.floor(rnd() * 60),
    );
    return new Date(ms - 9 * 60 * 60 * 1000);
  };
  for (let daysAgo = 120; daysAgo >= 1; daysAgo--) {
    const day = Number(kstParts(new Date(now.getTime() - daysAgo * DAY_MS)).date.slice(6, 8));
    if (day === 25) items.push({ at: at(daysAgo, 9, 0), amount: salary, printContent: '급여', tranType: '대체' });
    if (day === 15)
      items.push({
        at: at(daysAgo, 7, 30),
        amount: -roundTo(300_000 + rnd() * 900_000, 10),
        printContent: '카드대금',
        tranType: '대체',
      });
    if (day === 21)
      items.push({ at: at(daysAgo, 6, 10), amount: -phone, printContent: '통신비', tranType: '자동이체' });
    if (day === 1)
      items.push({
        at: at(daysAgo, 8, 0),
        amount: -roundTo(450_000 + rnd() * 300_000, 10_000),
        printContent: '월세',
        tranType: '자동이체',
      });
    if (rnd() < 0.22)
      items.push({
        at: at(daysAgo, 12 + Math.floor(rnd() * 10), Math.floor(rnd() * 60)),
        amount: -roundTo(1_500 + rnd() * 15_000, 100),
        printContent: STORES[Math.floor(rnd() * STORES.length)]!,
        tranType: '체크카드',
      });
    if (rnd() < 0.12)
      items.push({
        at: at(daysAgo, 10 + Math.floor(rnd() * 12), Math.floor(rnd() * 60)),
        amount: -roundTo(8_000 + rnd() * 60_000, 100),
        printContent: SHOPS[Math.floor(rnd() * SHOPS.length)]!,
        tranType: '체크카드',
      });
    if (rnd() < 0.06) {
      const incoming = rnd() < 0.5;
      const amount = roundTo(10_000 + rnd() * 190_000, 1_000);
      items.push({
        at: at(daysAgo, 9 + Math.floor(rnd() * 12), Math.floor(rnd() * 60)),
        amount: incoming ? amount : -amount,
        printContent: PEOPLE[Math.floor(rnd() * PEOPLE.length)]!,
        tranType: '이체',
      });
    }
  }
  items.sort((a, b) => a.at.getTime() - b.at.getTime());
  return items;
}

/**
 * Plans the postings. Walks backwards from the final balance, dropping any deposit that would make an
 * earlier balance negative; what remains at the start is carried in as "전월이월".
 */
export function planHistory(accountNum: string, openingBalance: number, now: Date): PlannedPosting[] {
  const events = candidateEvents(accountNum, now);
  const kept: HistoryItem[] = [];
  let before = openingBalance;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const prior = before - e.amount;
    if (prior < 0) continue;
    kept.push(e);
    before = prior;
  }
  kept.reverse();
  const out: PlannedPosting[] = [];
  let running = 0;
  if (before > 0 || kept.length === 0) {
    const first = events[0]?.at ?? new Date(now.getTime() - 120 * DAY_MS);
    running = before;
    out.push({
      at: new Date(first.getTime() - DAY_MS),
      amount: before,
      printContent: '전월이월',
      tranType: '대체',
      balanceAfter: running,
    });
  }
  for (const e of kept) {
    running += e.amount;
    out.push({ ...e, balanceAfter: running });
  }
  return out.filter((p) => p.amount !== 0);
}
