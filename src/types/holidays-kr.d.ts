// @hyunbinseo/holidays-kr ships types only for "node16"/"bundler" resolution; the portal compiles with
// "node" resolution, so the one entry point it uses is declared here: yYYYY → { 'YYYY-MM-DD': names }.
declare module '@hyunbinseo/holidays-kr/all' {
  const years: Record<string, Readonly<Record<string, readonly string[]>>>;
  export = years;
}
