// A chart is an accessible picture: <svg role="img"> named by its <title> and described by its <desc>,
// every text escaped, no script or style attribute (the CSP forbids inline styles), a bar per value.
import t, { type Test } from 'tap';
import { barChart, columnChart, escapeXml, niceMax, pairedPercentChart } from '../../src/usage/svg-charts';

const HOSTILE = '<script>alert("x")</script> & \'q\'';

function checkAccessible(t: Test, svg: string, id: string, title: string, desc: string) {
  t.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/, 'an svg with role="img"');
  t.match(svg, new RegExp(`aria-labelledby="${id}-title ${id}-desc"`), 'named by its title and described by its desc');
  t.ok(svg.includes(`<title id="${id}-title">${escapeXml(title)}</title>`), 'the title, escaped');
  t.ok(svg.includes(`<desc id="${id}-desc">${escapeXml(desc)}</desc>`), 'the description, escaped');
  t.notMatch(svg, /<script|style=|on[a-z]+=/i, 'no script, no inline style, no event handler');
  t.match(svg, /<\/svg>$/);
}

t.test('the column chart of calls a day', async (t) => {
  const bars = Array.from({ length: 30 }, (_, i) => ({ label: `12월 ${i + 1}일`, value: i * 3 }));
  const svg = columnChart({ id: 'chart-daily', title: '하루 호출 수', desc: '모두 1,305건' }, bars);
  checkAccessible(t, svg, 'chart-daily', '하루 호출 수', '모두 1,305건');
  t.equal((svg.match(/<rect /g) ?? []).length, 30, 'one bar a day');
  const labels = svg.match(/<text [^>]*text-anchor="middle">[^<]*<\/text>/g) ?? [];
  t.ok(labels.length >= 5 && labels.length <= 12, `day labels thinned out so they do not overlap (${labels.length})`);
  t.ok(svg.includes('>12월 30일<'), 'the last day is labelled');
  t.ok(svg.includes('>100<'), 'the axis goes up to a round number above the highest bar (87 → 100)');
});

t.test('hostile text is escaped everywhere', async (t) => {
  const svg = barChart({ id: 'x"><script>', title: HOSTILE, desc: HOSTILE }, [{ label: HOSTILE, value: 1 }]);
  t.notMatch(svg, /<script/);
  t.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;q&#39;/);
  t.match(svg, /aria-labelledby="x---script--title x---script--desc"/, 'ids are reduced to safe characters');
  const paired = pairedPercentChart({ id: 'm', title: HOSTILE, desc: HOSTILE }, { first: HOSTILE, second: HOSTILE }, [
    { label: HOSTILE, first: 10, second: 20 },
  ]);
  t.notMatch(paired, /<script/);
});

t.test('the horizontal bars of calls by API and the mix comparison', async (t) => {
  const svg = barChart({ id: 'chart-apis', title: 'API별 호출 수', desc: '3개 API' }, [
    { label: '잔액조회', value: 30, valueText: '30' },
    { label: '출금이체', value: 15 },
    { label: '토큰 발급', value: 0 },
  ]);
  checkAccessible(t, svg, 'chart-apis', 'API별 호출 수', '3개 API');
  t.equal((svg.match(/<rect /g) ?? []).length, 3);
  t.match(svg, /<rect x="230" y="\d+" width="400\.0"/, 'the largest bar spans the plot');
  t.match(svg, /<rect x="230" y="\d+" width="200\.0"/, 'half the calls, half the length');
  const mix = pairedPercentChart(
    { id: 'chart-mix', title: '구성 비교', desc: '잔액조회 50.0%' },
    { first: '이 기관', second: '전국 평균' },
    [
      { label: '잔액조회', first: 50, second: 68 },
      { label: '출금이체', first: 25, second: 21 },
      { label: '거래내역조회', first: 25, second: 6 },
      { label: '기타', first: 0, second: 5 },
    ],
  );
  checkAccessible(t, mix, 'chart-mix', '구성 비교', '잔액조회 50.0%');
  t.equal((mix.match(/<rect /g) ?? []).length, 2 + 8, 'a legend swatch per series and two bars per kind');
  for (const p of ['50.0%', '68.0%', '25.0%', '21.0%', '6.0%', '0.0%', '5.0%'])
    t.ok(mix.includes(`>${p}<`), `${p} printed beside its bar`);
  t.ok(mix.includes('>이 기관<') && mix.includes('>전국 평균<'), 'the legend names both series');
});

t.test('round axis maxima', async (t) => {
  t.same(
    [niceMax(0), niceMax(1), niceMax(3), niceMax(87), niceMax(100), niceMax(101), niceMax(4500)],
    [1, 1, 5, 100, 100, 200, 5000],
  );
});
